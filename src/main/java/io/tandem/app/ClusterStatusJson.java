package io.tandem.app;

import io.tandem.cluster.ClusterNode;
import io.tandem.cluster.NodeStatus;
import io.tandem.cluster.Quorum;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The cluster part of {@code /api/status}: this node's role and every member as last heard. */
final class ClusterStatusJson {
  private ClusterStatusJson() {}

  static JsonObject of(ClusterNode cluster, long lastLagMillis) {
    NodeStatus self = cluster.status();
    JsonArray members = new JsonArray().add(member(self, 0));
    long now = System.currentTimeMillis();
    cluster.peers().values().forEach(p -> members.add(member(p, now - p.sentAtMillis())));
    JsonArray history = new JsonArray();
    for (ClusterNode.RoleChange c : cluster.history()) {
      history.add(new JsonObject().put("at_ms", c.atMillis()).put("from", c.from().name()).put("to", c.to().name())
          .put("epoch", c.epoch()).put("reason", c.reason()));
    }
    String holder = self.vipHeld() ? self.name() : cluster.peers().values().stream()
        .filter(p -> p.vipHeld() && p.state() == io.tandem.cluster.NodeState.MASTER).map(NodeStatus::name)
        .findFirst().orElse(null);
    return new JsonObject()
        .put("history", history)
        .put("maintenance", cluster.maintenance())
        .put("vip_holder", holder)
        .put("state", self.state().name())
        .put("epoch", self.epoch())
        .put("reason", self.reason())
        .put("healthy", self.healthy())
        .put("in_sync", cluster.inSync())
        .put("view", new JsonArray(cluster.members()))
        .put("quorum", quorum(cluster))
        .put("members", members)
        .put("replication", new JsonObject()
            .put("bytes_sent", cluster.table().bytesSent())
            .put("bytes_received", cluster.table().bytesReceived())
            .put("sequence_gaps", cluster.table().sequenceGaps())
            .put("last_lag_ms", lastLagMillis));
  }

  /** Null without a witness; else the voters and the majority they need. */
  private static JsonObject quorum(ClusterNode cluster) {
    Quorum q = cluster.quorum();
    return q.required() ? new JsonObject().put("voters", q.voters()).put("majority", q.majority()) : null;
  }

  private static JsonObject member(NodeStatus s, long ageMs) {
    return new JsonObject()
        .put("name", s.name())
        .put("role", s.witness() ? "witness" : "balancer")
        // A witness only votes: its state says so rather than "BACKUP", in tandemctl and the page too.
        .put("state", s.witness() ? "WITNESS" : s.state().name())
        .put("priority", s.priority())
        .put("epoch", s.epoch())
        .put("healthy", s.healthy())
        .put("in_sync", s.inSync())
        .put("vip_held", s.vipHeld())
        .put("maintenance", !s.eligible())
        .put("usable_backends", s.usableBackends())
        .put("reason", s.reason())
        .put("pid", s.pid())
        .put("last_heard_ms", ageMs);
  }
}
