package io.tandem.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.testing.Http;
import io.tandem.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdminApiTest {
  @RegisterExtension
  static final AdminNode node = new AdminNode();
  final Http http = new Http();
  static final String AUTH = "Bearer " + TestNode.TOKEN;

  @Test
  void refusesRequestsWithoutTheToken() throws Exception {
    HttpResponse<String> none = http.get(node.admin("/api/status"));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(http.get(node.admin("/api/status"), "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(http.get(node.admin("/api/status"), "Authorization", "Bearer " + TestNode.TOKEN + "x").statusCode()).isEqualTo(401);
    assertThat(http.post(node.admin("/api/backends/web1/drain"), "").statusCode()).isEqualTo(401);
  }

  @Test
  void statusShowsTheNodeAndItsBackends() throws Exception {
    HttpResponse<String> r = http.get(node.admin("/api/status"), "Authorization", AUTH);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject s = new JsonObject(r.body());
    assertThat(s.getString("node")).isEqualTo("test1");
    assertThat(s.getLong("pid")).isEqualTo(ProcessHandle.current().pid());
    assertThat(s.getJsonArray("backends")).hasSize(2);
    assertThat(s.getJsonObject("sticky").getInteger("entries")).isNotNull();
  }

  @Test
  void drainEnableAndMaintChangeABackendsState() throws Exception {
    JsonObject drained = new JsonObject(http.post(node.admin("/api/backends/web2/drain"), "", "Authorization", AUTH).body());
    assertThat(drained.getString("state")).isEqualTo("DRAIN");
    JsonObject maint = new JsonObject(http.post(node.admin("/api/backends/web2/maint"), "", "Authorization", AUTH).body());
    assertThat(maint.getString("state")).isEqualTo("MAINT");
    JsonObject enabled = new JsonObject(http.post(node.admin("/api/backends/web2/enable"), "", "Authorization", AUTH).body());
    assertThat(enabled.getString("state")).isEqualTo("UP");
    JsonArray all = new JsonObject(http.get(node.admin("/api/backends"), "Authorization", AUTH).body()).getJsonArray("backends");
    assertThat(all.getJsonObject(1).getString("admin_state")).isEqualTo("ENABLED");
  }

  @Test
  void unknownBackendOrActionIs404WithTheReason() throws Exception {
    HttpResponse<String> r = http.post(node.admin("/api/backends/nope/drain"), "", "Authorization", AUTH);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no backend with id 'nope'");
    assertThat(http.post(node.admin("/api/backends/web1/explode"), "", "Authorization", AUTH).body()).contains("unknown action");
  }

  @Test
  void failoverAndMaintenanceAreRefusedWithTheReasonOnASingleNode() throws Exception {
    assertThat(http.post(node.admin("/api/failover"), "").statusCode()).isEqualTo(401);
    HttpResponse<String> f = http.post(node.admin("/api/failover?to=lb2"), "", "Authorization", AUTH);
    assertThat(f.statusCode()).isEqualTo(409);
    assertThat(f.body()).contains("without a cluster");
    HttpResponse<String> m = http.post(node.admin("/api/maintenance/on"), "", "Authorization", AUTH);
    assertThat(m.statusCode()).isEqualTo(409);
    assertThat(m.body()).contains("maintenance is for a pair's nodes");
    HttpResponse<String> bad = http.post(node.admin("/api/failover?timeout=soon"), "", "Authorization", AUTH);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("timeout: 'soon' (expected: a duration from 1ms to 5m such as 10s)");
    assertThat(http.post(node.admin("/api/failover?timeout=6m"), "", "Authorization", AUTH).statusCode()).isEqualTo(400);
    HttpResponse<String> state = http.post(node.admin("/api/maintenance/maybe"), "", "Authorization", AUTH);
    assertThat(state.statusCode()).isEqualTo(404);
    assertThat(state.body()).contains("unknown maintenance state 'maybe' (expected: on or off)");
  }

  @Test
  void sessionsCountsPerBackendAndLooksUpOneKey() throws Exception {
    HttpResponse<String> login = http.post("http://127.0.0.1:" + node.port() + "/login", "");
    String backend = login.headers().firstValue("x-backend").orElseThrow();
    String session = new JsonObject(login.body()).getString("session");
    JsonObject counts = new JsonObject(http.get(node.admin("/api/sessions"), "Authorization", AUTH).body());
    assertThat(counts.getInteger("total")).isGreaterThanOrEqualTo(1);
    assertThat(counts.getJsonObject("by_backend").getInteger(backend)).isGreaterThanOrEqualTo(1);
    JsonObject one = new JsonObject(http.get(node.admin("/api/sessions?cookie=" + session), "Authorization", AUTH).body());
    assertThat(one.getString("backend")).isEqualTo(backend);
    assertThat(http.get(node.admin("/api/sessions?cookie=unknown"), "Authorization", AUTH).statusCode()).isEqualTo(404);
  }

  @Test
  void metricsAreOpenAndInPrometheusNaming() throws Exception {
    http.get("http://127.0.0.1:" + node.port() + "/health");
    HttpResponse<String> r = http.get(node.admin("/metrics"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("tandem_requests_total{", "tandem_request_duration_seconds_bucket{",
        "tandem_backend_up{", "tandem_sticky_entries", "jvm_memory_used_bytes", "tandem_health_checks_total{");
  }

  @Test
  void healthAndReadinessNeedNoToken() throws Exception {
    assertThat(http.get(node.admin("/healthz")).statusCode()).isEqualTo(200);
    assertThat(http.get(node.admin("/readyz")).statusCode()).isEqualTo(200);
  }
}
