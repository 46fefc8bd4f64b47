package io.tandem.app;

import io.tandem.admin.PairControl;
import io.tandem.cluster.ClusterNode;
import io.tandem.cluster.RoleRefused;
import io.tandem.cluster.RoleResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** The admin API's failover and maintenance calls, done by the cluster node; answers as JSON. */
final class ClusterControl implements PairControl {
  private final ClusterNode cluster;

  ClusterControl(ClusterNode cluster) {
    this.cluster = cluster;
  }

  @Override
  public Future<JsonObject> failover(String to, Duration timeout) {
    return answer(cluster.failover(to, timeout));
  }

  @Override
  public Future<JsonObject> maintenance(String node, boolean on, Duration timeout) {
    return answer(cluster.maintenance(node, on, timeout));
  }

  private static Future<JsonObject> answer(Future<RoleResult> result) {
    return result.transform(ar -> {
      if (ar.succeeded()) {
        RoleResult r = ar.result();
        JsonObject o = new JsonObject()
            .put("node", r.node())
            .put("from", r.from())
            .put("holder", r.holder())
            .put("epoch", r.epoch())
            .put("took_ms", r.tookMillis());
        if (r.maintenance() != null) {
          o.put("maintenance", r.maintenance());
        }
        return Future.succeededFuture(o);
      }
      if (ar.cause() instanceof RoleRefused r) {
        return Future.failedFuture(new PairControl.Refusal(r.timedOut() ? 504 : 409, r.getMessage()));
      }
      return Future.failedFuture(ar.cause());
    });
  }
}
