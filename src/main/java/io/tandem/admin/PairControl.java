package io.tandem.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The operator's moves of the active role, as the admin API calls them. Each completes with the JSON
 * answer, or fails with a {@link Refusal} (its HTTP status and reason).
 */
public interface PairControl {
  /** A single node: nothing to hand over to. */
  PairControl NONE = new PairControl() {
    @Override
    public Future<JsonObject> failover(String to, Duration timeout) {
      return Future.failedFuture(new Refusal(409, "this node runs without a cluster: there is no pair to fail over in"));
    }

    @Override
    public Future<JsonObject> maintenance(String node, boolean on, Duration timeout) {
      return Future.failedFuture(new Refusal(409, "this node runs without a cluster: maintenance is for a pair's nodes"));
    }
  };

  /** The planned handoff to {@code to} (null: the best other member); waits for the new holder. */
  Future<JsonObject> failover(String to, Duration timeout);

  /** Maintenance on or off for {@code node} (null: the node asked). */
  Future<JsonObject> maintenance(String node, boolean on, Duration timeout);

  /** Refused, failed or timed out: the HTTP status (409, 504) and the reason. */
  final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public Refusal(int status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
