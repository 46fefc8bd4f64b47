package io.tandem.admin;

import io.vertx.core.json.JsonObject;

/** The node-level part of {@code /api/status}, supplied by the composition root (the cluster adds to it later). */
@FunctionalInterface
public interface NodeStatus {
  JsonObject snapshot();

  /** Ready to take traffic (listening, with a usable backend). */
  default boolean ready() {
    return true;
  }
}
