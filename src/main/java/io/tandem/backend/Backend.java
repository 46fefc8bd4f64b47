package io.tandem.backend;

import io.tandem.config.BackendConfig;

/** A live view of one backend; every getter is safe from any thread. */
public interface Backend {
  String id();

  BackendConfig config();

  BackendState state();

  AdminState adminState();

  /** The last verdict of active health checks (true until the first checks say otherwise). */
  boolean healthy();

  /** Taken out by passive ejection right now. */
  boolean ejected();

  /** Requests sent and not yet finished. */
  int inFlight();
}
