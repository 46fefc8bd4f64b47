package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.AdminState;
import io.tandem.backend.BackendState;
import io.tandem.testing.Http;
import io.tandem.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** tandemctl against a real single node with real demo backends: every command, each refusal, the exit codes. */
class TandemctlTest {
  static Vertx vertx;
  static TestNode node;
  static Path tokenFile;
  static Ctl ctl;
  final Http http = new Http();

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    node = TestNode.builder(vertx).backends(2).sticky("{mode: learn}").start();
    tokenFile = Files.writeString(dir.resolve("admin.token"), TestNode.TOKEN + "\n");
    ctl = Ctl.of(node.adminPort(), tokenFile.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    vertx.close().await();
  }

  String adminUrl() {
    return "http://127.0.0.1:" + node.adminPort();
  }

  @Test
  void statusPrintsTheNodeItsBackendsAndStickyEntries() {
    Ctl.Result r = ctl.run("status");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("test1", "pid " + ProcessHandle.current().pid(), "SINGLE, priority 100",
        "vip          none", "MEMBERS: none", "replication  none", "entries");
    assertThat(r.out()).containsPattern("web1\\s+UP\\s+ENABLED\\s+0").containsPattern("web2\\s+UP\\s+ENABLED");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void statusJsonHasTheDocumentedSchema() {
    Ctl.Result r = ctl.run("status", "--json");
    assertThat(r.code()).as(r.toString()).isZero();
    JsonObject s = new JsonObject(r.out());
    assertThat(s.fieldNames()).containsExactly("schema", "node", "state", "epoch", "priority", "pid", "healthy",
        "reason", "vip", "vip_driver", "vip_held", "vip_holder", "maintenance", "in_sync", "version", "uptime_s",
        "members", "backends", "sticky", "replication");
    assertThat(s.getInteger("schema")).isEqualTo(1);
    assertThat(s.getString("node")).isEqualTo("test1");
    assertThat(s.getString("state")).isEqualTo("SINGLE");
    assertThat(s.getLong("epoch")).isZero();
    assertThat(s.getLong("priority")).isEqualTo(100);
    assertThat(s.getLong("pid")).isEqualTo(ProcessHandle.current().pid());
    assertThat(s.getValue("vip")).isNull();
    assertThat(s.getString("vip_driver")).isEqualTo("none");
    assertThat(s.getBoolean("vip_held")).isFalse();
    assertThat(s.getBoolean("in_sync")).isTrue();
    assertThat(s.getJsonArray("members")).isEmpty();
    assertThat(s.getValue("replication")).isNull();
    assertThat(s.getJsonObject("sticky").getLong("entries")).isNotNull();
    JsonArray backends = s.getJsonArray("backends");
    assertThat(backends).hasSize(2);
    assertThat(backends.getJsonObject(0).fieldNames()).containsExactly("id", "url", "state", "admin_state", "healthy",
        "ejected", "in_flight", "weight");
    assertThat(backends.getJsonObject(0).getString("id")).isEqualTo("web1");
    assertThat(backends.getJsonObject(0).getString("url")).isEqualTo("http://127.0.0.1:" + node.backend(0).port());
  }

  @Test
  void backendsListsEveryBackendWithItsStates() {
    Ctl.Result r = ctl.run("backends");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("ID").contains("IN-FLIGHT")
        .containsPattern("web1\\s+UP\\s+ENABLED\\s+yes\\s+no\\s+0\\s+1\\s+http://127.0.0.1:" + node.backend(0).port());
    JsonArray json = new JsonObject(ctl.run("backends", "--json").out()).getJsonArray("backends");
    assertThat(json).hasSize(2);
    assertThat(json.getJsonObject(1).getString("admin_state")).isEqualTo("ENABLED");
  }

  @Test
  void drainMaintAndEnableChangeTheBackendInThePool() {
    try {
      Ctl.Result drained = ctl.run("drain", "web2");
      assertThat(drained.code()).as(drained.toString()).isZero();
      assertThat(drained.out()).startsWith("web2: DRAIN (admin DRAIN");
      assertThat(node.node().pool().byId("web2").orElseThrow().adminState()).isEqualTo(AdminState.DRAIN);
      assertThat(node.node().pool().byId("web2").orElseThrow().state()).isEqualTo(BackendState.DRAIN);

      assertThat(ctl.run("maint", "web2").code()).isZero();
      assertThat(node.node().pool().byId("web2").orElseThrow().state()).isEqualTo(BackendState.MAINT);
      assertThat(ctl.run("status").out()).containsPattern("web2\\s+MAINT\\s+MAINT");

      Ctl.Result enabled = ctl.run("enable", "web2");
      assertThat(enabled.code()).as(enabled.toString()).isZero();
      assertThat(enabled.out()).startsWith("web2: UP (admin ENABLED");
      assertThat(node.node().pool().byId("web2").orElseThrow().adminState()).isEqualTo(AdminState.ENABLED);
    } finally {
      node.node().pool().setAdminState("web2", AdminState.ENABLED);
    }
  }

  @Test
  void anUnknownBackendIsRefusedWithTheNodesReason() {
    for (String action : new String[] {"drain", "enable", "maint"}) {
      Ctl.Result r = ctl.run(action, "nope");
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.err()).startsWith("tandemctl: no backend with id 'nope'").contains(adminUrl()).doesNotContain("Exception");
      assertThat(r.out()).isEmpty();
    }
    Ctl.Result s = ctl.run("sessions", "--backend", "nope");
    assertThat(s.code()).as(s.toString()).isEqualTo(1);
    assertThat(s.err()).contains("no backend with id 'nope'");
  }

  @Test
  void sessionsCountsPerBackendAndLooksUpAUsersCookie() throws Exception {
    HttpResponse<String> login = http.post("http://127.0.0.1:" + node.port() + "/login", "");
    assertThat(login.statusCode()).isEqualTo(200);
    String backend = login.headers().firstValue("x-backend").orElseThrow();
    String session = new JsonObject(login.body()).getString("session");

    Ctl.Result counts = ctl.run("sessions");
    assertThat(counts.code()).as(counts.toString()).isZero();
    assertThat(counts.out()).contains("BACKEND", "web1", "web2", "total ");
    JsonObject json = new JsonObject(ctl.run("sessions", "--json").out());
    assertThat(json.getLong("total")).isGreaterThanOrEqualTo(1);
    assertThat(json.getJsonObject("by_backend").fieldNames()).contains("web1", "web2");
    assertThat(json.getJsonObject("by_backend").getLong(backend)).isGreaterThanOrEqualTo(1);
    JsonObject one = new JsonObject(ctl.run("sessions", "--backend", backend, "--json").out());
    assertThat(one.getJsonObject("by_backend").fieldNames()).containsExactly(backend);

    Ctl.Result lookup = ctl.run("sessions", "--cookie", session);
    assertThat(lookup.code()).as(lookup.toString()).isZero();
    assertThat(lookup.out()).containsPattern("backend\\s+" + backend).contains("last seen", "ago");
    JsonObject binding = new JsonObject(ctl.run("sessions", "--cookie", session, "--json").out());
    assertThat(binding.fieldNames()).containsExactly("key", "backend", "version", "last_seen_ms");
    assertThat(binding.getString("backend")).isEqualTo(backend);
    Ctl.Result byKey = ctl.run("sessions", "--key", binding.getString("key"), "--json");
    assertThat(new JsonObject(byKey.out()).getString("backend")).as(byKey.toString()).isEqualTo(backend);
  }

  @Test
  void aCookieValueThatLooksLikeAnOptionIsStillAValue() {
    Ctl.Result r = ctl.run("sessions", "--cookie", "-VjgeDCJgLiVRq59QkADeA");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("tandemctl: no binding for cookie '-VjgeDCJgLiVRq59QkADeA'");
  }

  @Test
  void anUnknownCookieIsRefused() {
    Ctl.Result r = ctl.run("sessions", "--cookie", "no-such-session");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("tandemctl: no binding for cookie 'no-such-session'");
  }

  @Test
  void badArgumentsExitTwoWithTheMessageAndUsage() {
    assertBadArguments(ctl.run("explode"), "Unmatched argument");
    assertBadArguments(ctl.run("drain"), "Missing required parameter: 'ID'");
    assertBadArguments(ctl.run("status", "--bogus"), "Unknown option: '--bogus'");
    assertBadArguments(ctl.run("sessions", "--cookie", "a", "--key", "b"), "mutually exclusive");
    assertBadArguments(ctl.run("sessions", "--backend", "web1", "--cookie", "a"), "does not combine");
    assertBadArguments(ctl.run("--timeout", "soon", "status"), "'soon' (expected: a duration > 0");
    assertBadArguments(ctl.run("--timeout", "0s", "status"), "expected: a duration > 0");
    assertBadArguments(Ctl.withEnv(Map.of()).run("--admin", "127.0.0.1:9901", "status"),
        "--admin: '127.0.0.1:9901' (expected: an http:// or https:// URL");
    assertBadArguments(Ctl.withEnv(Map.of("TANDEM_ADMIN", "ftp://x")).run("status"), "TANDEM_ADMIN: 'ftp://x'");
    Ctl.Result none = ctl.run();
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("a command is required", "Usage: tandemctl");
  }

  private static void assertBadArguments(Ctl.Result r, String message) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).as(r.toString()).startsWith("tandemctl: ").contains(message, "Usage: tandemctl");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aClosedPortExitsThreeNamingTheUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    Ctl.Result r = Ctl.of(port, tokenFile.toString()).run("status");
    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(r.err()).isEqualTo("tandemctl: cannot reach the admin API at http://127.0.0.1:" + port
        + ": connection refused\n");
  }

  @Test
  void aSilentServerTimesOutWithExitThree() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread acceptor = new Thread(() -> {
        try (Socket c = s.accept(); InputStream in = c.getInputStream()) {
          in.read(new byte[4096]);
          in.read();
        } catch (Exception e) {
          // The test closed the socket.
        }
      });
      acceptor.start();
      long started = System.nanoTime();
      Ctl.Result r = Ctl.of(s.getLocalPort(), tokenFile.toString()).run("--timeout", "300ms", "backends");
      assertThat(r.code()).as(r.toString()).isEqualTo(3);
      assertThat(r.err()).contains("http://127.0.0.1:" + s.getLocalPort(), "no answer within 300ms");
      assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5000);
    }
  }

  @Test
  void aWrongOrMissingTokenExitsThree(@TempDir Path dir) throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong.token"), "not-the-token-at-all\n");
    Ctl.Result r = Ctl.of(node.adminPort(), wrong.toString()).run("status");
    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(r.err()).contains(adminUrl(), "refused the token", "missing or wrong bearer token",
        "--token-file " + wrong);

    Ctl.Result none = Ctl.withEnv(Map.of("TANDEM_ADMIN", adminUrl())).run("drain", "web1");
    assertThat(none.code()).as(none.toString()).isEqualTo(3);
    assertThat(none.err()).contains("no token was given");
    assertThat(node.node().pool().byId("web1").orElseThrow().adminState()).isEqualTo(AdminState.ENABLED);

    Ctl.Result missing = Ctl.of(node.adminPort(), dir.resolve("absent").toString()).run("status");
    assertThat(missing.code()).as(missing.toString()).isEqualTo(3);
    assertThat(missing.err()).contains("cannot read the admin token", "no such file");
  }

  @Test
  void takesTheAdminUrlAndTokenFromTheEnvironment() {
    Ctl.Result byToken = Ctl.withEnv(Map.of("TANDEM_ADMIN", adminUrl() + "/", "TANDEM_TOKEN", TestNode.TOKEN))
        .run("status", "--json");
    assertThat(byToken.code()).as(byToken.toString()).isZero();
    assertThat(new JsonObject(byToken.out()).getString("node")).isEqualTo("test1");

    Ctl.Result byFile = Ctl.withEnv(Map.of("TANDEM_ADMIN", adminUrl(), "TANDEM_TOKEN_FILE", tokenFile.toString(),
        "TANDEM_TOKEN", "wrong-token-wrong-token")).run("backends");
    assertThat(byFile.code()).as(byFile.toString()).isZero();
  }

  @Test
  void globalOptionsMayFollowTheSubcommand() {
    Ctl.Result r = Ctl.withEnv(Map.of()).run("status", "--json", "--admin", adminUrl(), "--token-file",
        tokenFile.toString(), "--timeout", "2s");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(new JsonObject(r.out()).getString("node")).isEqualTo("test1");
  }

  @Test
  void anAnswerThatIsNotTheAdminApiIsAFailureNotAStackTrace() {
    Ctl.Result r = Ctl.of(node.port(), tokenFile.toString()).run("status");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("tandemctl: ").doesNotContain("Exception", "\tat ");
  }

  @Test
  void aPlainCommandLineKeepsTheExitCodes() {
    String[] globals = {"--admin", adminUrl(), "--token-file", tokenFile.toString()};
    StringWriter err = new StringWriter();
    CommandLine plain = new CommandLine(new Tandemctl()).setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(err, true));
    assertThat(plain.execute(concat(globals, "drain", "nope"))).isEqualTo(1);
    assertThat(plain.execute("--admin", "http://127.0.0.1:1", "status")).isEqualTo(3);
    assertThat(plain.execute(concat(globals, "status"))).isZero();
    assertThat(err.toString()).contains("no backend with id 'nope'", "connection refused").doesNotContain("\tat ");
  }

  private static String[] concat(String[] a, String... b) {
    return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
  }

  @Test
  void printsABashCompletionScript() {
    Ctl.Result r = Ctl.withEnv(Map.of()).run("completion");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("complete -F _complete_tandemctl", "status", "backends", "drain", "sessions", "--admin",
        "failover", "--to", "maintenance", "--node");
    // maintenance completes its argument: on or off.
    assertThat(r.out()).contains("(\"on\" \"off\")");
    assertThat(Ctl.withEnv(Map.of()).run("--help").out()).contains("status", "sessions", "Exit codes")
        .doesNotContain("completion  ");
  }
}
