package io.tandem.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tandem.config.HostPort;
import io.tandem.config.VipConfig;
import io.tandem.config.VipDriver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The iproute2 driver against a real kernel: two hosts in network namespaces, a veth between them. */
class Iproute2FloatingIpTest {
  static final String VIP = "198.18.1.100";
  static Vertx vertx;
  Netns hosts;
  Iproute2FloatingIp driver;
  final List<String> faults = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  @BeforeEach
  void hosts() throws Exception {
    hosts = Netns.create("d");
    driver = driver("eth0", Duration.ofSeconds(2));
  }

  @AfterEach
  void teardown() throws Exception {
    if (driver != null) {
      done(driver.close());
    }
    if (hosts != null) {
      hosts.close();
    }
  }

  Iproute2FloatingIp driver(String iface, Duration lease) {
    VipConfig cfg = new VipConfig(VipDriver.IPROUTE2, new HostPort(VIP, 80), 24, iface, lease,
        new VipConfig.Garp(3, Duration.ofMillis(100), Duration.ofSeconds(60)), VipConfig.Scripts.NONE,
        Duration.ofSeconds(3));
    Iproute2FloatingIp d = new Iproute2FloatingIp("lb1", cfg, vertx,
        new ProcessCommandRunner("test-ip", true, hosts.inA()), new ProcessCommandRunner("test-arp", false, hosts.inA()),
        () -> System.nanoTime() / 1_000_000);
    d.onFault(faults::add);
    return d;
  }

  static <T> T done(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void acquireAddsTheVipOnALeaseAndAnnouncesItByGratuitousArp() throws Exception {
    done(driver.prepare());
    done(driver.acquire(1));
    assertThat(driver.held()).isTrue();
    String line = hosts.addrs(hosts.a).lines().filter(l -> l.contains(VIP + "/24")).findFirst().orElseThrow();
    assertThat(line).contains("valid_lft ").doesNotContain("forever");
    // Host b never asked for the VIP: only the unsolicited announcement can teach it a's MAC.
    String mac = hosts.mac(hosts.a);
    await().atMost(Duration.ofSeconds(5)).until(() -> hosts.neigh(hosts.b, VIP).toLowerCase().contains(mac));
    assertThat(faults).isEmpty();
  }

  @Test
  void aRenewedLeaseHoldsAndTheKernelDropsTheVipWhenRenewalsStop() throws Exception {
    done(driver.acquire(1));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
    while (System.nanoTime() < until) {
      done(driver.renew(1));
      Thread.sleep(100);
    }
    // Twice the lease has passed: only the renewals kept it.
    assertThat(hosts.addrs(hosts.a)).contains(VIP + "/24");
    // As if the process hung: nobody renews, and the kernel removes the address by itself.
    await().atMost(Duration.ofSeconds(8)).until(() -> !hosts.addrs(hosts.a).contains(VIP + "/"));
  }

  @Test
  void releaseRemovesTheVipAndIsSafeWhenItIsGone() throws Exception {
    done(driver.acquire(1));
    done(driver.release(1));
    assertThat(driver.held()).isFalse();
    assertThat(hosts.addrs(hosts.a)).doesNotContain(VIP + "/");
    done(driver.release(1));
  }

  @Test
  void prepareRemovesAStaleVipLeftByAnEarlierRun() throws Exception {
    Netns.sh("ip", "-n", hosts.a, "addr", "add", VIP + "/24", "dev", "eth0");
    done(driver.prepare());
    assertThat(hosts.addrs(hosts.a)).doesNotContain(VIP + "/");
    assertThat(driver.held()).isFalse();
  }

  @Test
  void prepareNamesAMissingInterface() {
    Iproute2FloatingIp bad = driver("nope0", Duration.ofSeconds(2));
    assertThatThrownBy(() -> done(bad.prepare())).hasMessageStartingWith(
        "vip.interface: \"nope0\": no such interface on this host");
    bad.close();
  }

  @Test
  void aRenewalPutsBackAVipRemovedBehindItsBack() throws Exception {
    done(driver.acquire(1));
    Netns.sh("ip", "-n", hosts.a, "addr", "del", VIP + "/24", "dev", "eth0");
    Thread.sleep(600); // past a quarter of the lease: the next renewal runs
    done(driver.renew(1));
    assertThat(hosts.addrs(hosts.a)).contains(VIP + "/24");
  }

  @Test
  void aRenewalThatCannotRunIsAFaultThatNamesTheCommand() throws Exception {
    done(driver.acquire(1));
    Netns.sh("ip", "-n", hosts.a, "link", "del", "eth0");
    Thread.sleep(600);
    assertThatThrownBy(() -> done(driver.renew(1)))
        .hasMessageStartingWith("lease renewal failed: ip addr replace " + VIP + "/24 dev eth0 valid_lft 2")
        .hasMessageContaining("exit 1");
  }

  @Test
  void reAnnouncingDoesNotPileUpTimers() throws Exception {
    done(driver.acquire(1));
    for (int i = 0; i < 5; i++) {
      done(driver.announce(1));
    }
    // Each burst's timers leave as they fire (3 x 100 ms): only the refresh timer stays.
    await().atMost(Duration.ofSeconds(5)).until(() -> driver.pendingTimers() == 1);
    done(driver.release(1));
    assertThat(driver.pendingTimers()).isZero();
    assertThat(faults).isEmpty();
  }
}
