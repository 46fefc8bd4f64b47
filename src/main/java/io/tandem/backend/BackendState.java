package io.tandem.backend;

/**
 * The effective state of a backend, as the proxy and the operator see it. MAINT is set by the
 * operator and wins over everything; DOWN comes from failed health checks or passive ejection;
 * DRAIN (set by the operator) keeps its sticky users but gets no new ones.
 */
public enum BackendState {
  UP,
  DOWN,
  DRAIN,
  MAINT;

  /** May a new user (no binding yet) be sent here? */
  public boolean acceptsNew() {
    return this == UP;
  }

  /** May a user already bound here keep coming? */
  public boolean acceptsBound() {
    return this == UP || this == DRAIN;
  }
}
