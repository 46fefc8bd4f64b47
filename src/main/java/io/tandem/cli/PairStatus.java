package io.tandem.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code GET /api/status} mapped into tandemctl's own schema ({@link #SCHEMA}), so scripts keep
 * working when the server's answer grows or is reshaped: every key of {@link #toJson} is always
 * present (null when unknown or not applicable, e.g. {@code replication} on a single node).
 */
record PairStatus(String node, String state, Long epoch, Long priority, Long pid, Boolean healthy, String reason,
    String vip, String vipDriver, Boolean vipHeld, String vipHolder, Boolean maintenance, Boolean inSync,
    String version, Long uptimeSeconds,
    List<Member> members, List<BackendRow> backends, Long stickyEntries, Replication replication) {

  /** Bumped only when a field changes meaning or goes away; new fields may be added. */
  static final int SCHEMA = 1;

  /** One member of the pair as this node last heard it. */
  record Member(String name, boolean self, String state, Long priority, Long epoch, Boolean healthy,
      Boolean inSync, Boolean vipHeld, Boolean maintenance, Long usableBackends, Long lastHeardMs) {

    JsonObject toJson() {
      return new JsonObject()
          .put("name", name)
          .put("self", self)
          .put("state", state)
          .put("priority", priority)
          .put("epoch", epoch)
          .put("healthy", healthy)
          .put("in_sync", inSync)
          .put("vip_held", vipHeld)
          .put("maintenance", maintenance)
          .put("usable_backends", usableBackends)
          .put("last_heard_ms", lastHeardMs);
    }
  }

  /** Sticky-table replication as this node sees it. */
  record Replication(Long lastLagMs, Long bytesSent, Long bytesReceived, Long sequenceGaps) {
    JsonObject toJson() {
      return new JsonObject()
          .put("last_lag_ms", lastLagMs)
          .put("bytes_sent", bytesSent)
          .put("bytes_received", bytesReceived)
          .put("sequence_gaps", sequenceGaps);
    }
  }

  static PairStatus from(JsonObject s) {
    String node = Fields.str(s, "node");
    // The server describes the VIP as "<driver> <address>", or "none".
    String vipText = Fields.str(s, "vip");
    String driver = null;
    String address = null;
    if (vipText != null && !vipText.equals("none")) {
      int sp = vipText.indexOf(' ');
      driver = sp < 0 ? vipText : vipText.substring(0, sp);
      address = sp < 0 ? null : vipText.substring(sp + 1);
    } else if (vipText != null) {
      driver = "none";
    }
    List<Member> members = Fields.list(s, "members", m -> new Member(Fields.str(m, "name"),
        node != null && node.equals(Fields.str(m, "name")), Fields.str(m, "state"), Fields.num(m, "priority"),
        Fields.num(m, "epoch"), Fields.bool(m, "healthy"), Fields.bool(m, "in_sync"), Fields.bool(m, "vip_held"),
        Fields.bool(m, "maintenance"), Fields.num(m, "usable_backends"), Fields.num(m, "last_heard_ms")));
    JsonObject r = Fields.obj(s, "replication");
    Replication replication = null;
    if (r != null) {
      Long lag = Fields.num(r, "last_lag_ms");
      // The node reports -1 until it has received a batch.
      replication = new Replication(lag != null && lag == -1 ? null : lag, Fields.num(r, "bytes_sent"),
          Fields.num(r, "bytes_received"), Fields.num(r, "sequence_gaps"));
    }
    return new PairStatus(node, Fields.str(s, "state"), Fields.num(s, "epoch"), Fields.num(s, "priority"),
        Fields.num(s, "pid"), Fields.bool(s, "healthy"), Fields.str(s, "reason"), address, driver,
        Fields.bool(s, "vip_held"), vipHolder(s, members), Fields.bool(s, "maintenance"), Fields.bool(s, "in_sync"), Fields.str(s, "version"), Fields.num(s, "uptime_s"),
        members, Fields.list(s, "backends", BackendRow::from), Fields.num(Fields.obj(s, "sticky"), "entries"),
        replication);
  }

  /** The server's {@code vip_holder}; from an older server, the member that says it holds the VIP. */
  private static String vipHolder(JsonObject s, List<Member> members) {
    if (s.containsKey("vip_holder")) {
      return Fields.str(s, "vip_holder");
    }
    if (Boolean.TRUE.equals(Fields.bool(s, "vip_held"))) {
      return Fields.str(s, "node");
    }
    return members.stream().filter(m -> Boolean.TRUE.equals(m.vipHeld())).map(Member::name).findFirst().orElse(null);
  }

  JsonObject toJson() {
    JsonArray m = new JsonArray();
    members.forEach(x -> m.add(x.toJson()));
    JsonArray b = new JsonArray();
    backends.forEach(x -> b.add(x.toJson()));
    return new JsonObject()
        .put("schema", SCHEMA)
        .put("node", node)
        .put("state", state)
        .put("epoch", epoch)
        .put("priority", priority)
        .put("pid", pid)
        .put("healthy", healthy)
        .put("reason", reason)
        .put("vip", vip)
        .put("vip_driver", vipDriver)
        .put("vip_held", vipHeld)
        .put("vip_holder", vipHolder)
        .put("maintenance", maintenance)
        .put("in_sync", inSync)
        .put("version", version)
        .put("uptime_s", uptimeSeconds)
        .put("members", m)
        .put("backends", b)
        .put("sticky", new JsonObject().put("entries", stickyEntries))
        .put("replication", replication == null ? null : replication.toJson());
  }
}
