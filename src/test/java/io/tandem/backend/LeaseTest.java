package io.tandem.backend;

import static io.tandem.backend.Pools.get;
import static io.tandem.backend.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LeaseTest {

  @Test
  void countsRequestInFlightUntilReleased() {
    BackendPool pool = pool("a");
    Backend a = get(pool, "a");

    BackendPool.Lease first = pool.begin(a);
    BackendPool.Lease second = pool.begin(a);
    assertThat(a.inFlight()).isEqualTo(2);

    first.release(Outcome.SUCCESS);
    assertThat(a.inFlight()).isEqualTo(1);
    second.release(Outcome.CANCELLED);
    assertThat(a.inFlight()).isZero();
  }

  @Test
  void releasingTwiceCountsOnce() {
    BackendPool pool = pool("a");
    Backend a = get(pool, "a");
    pool.begin(a);
    BackendPool.Lease lease = pool.begin(a);

    lease.release(Outcome.SUCCESS);
    lease.release(Outcome.SUCCESS);
    lease.release(Outcome.FAILURE);

    assertThat(a.inFlight()).isEqualTo(1);
  }

  @Test
  void concurrentReleasesOfOneLeaseCountOnce() throws InterruptedException {
    BackendPool pool = pool("a");
    Backend a = get(pool, "a");
    for (int round = 0; round < 200; round++) {
      BackendPool.Lease lease = pool.begin(a);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread thread = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          lease.release(Outcome.SUCCESS);
        });
        thread.start();
        threads.add(thread);
      }
      go.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
    }
    assertThat(a.inFlight()).isZero();
  }

  @Test
  void refusesBackendOfAnotherPool() {
    BackendPool pool = pool("a");
    Backend stranger = get(pool("a"), "a");

    assertThatThrownBy(() -> pool.begin(stranger)).isInstanceOf(IllegalArgumentException.class);
  }
}
