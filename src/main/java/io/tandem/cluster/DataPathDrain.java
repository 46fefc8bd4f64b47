package io.tandem.cluster;

/**
 * The data path as a planned handoff drains it (the proxy, seen from the cluster): while draining,
 * responses carry {@code Connection: close} and idle keep-alive connections on the VIP are closed,
 * so clients come back on new connections, which reach the new holder.
 */
public interface DataPathDrain {
  DataPathDrain NONE = new DataPathDrain() {
    @Override
    public void begin() {}

    @Override
    public void end() {}

    @Override
    public int inFlight() {
      return 0;
    }
  };

  /** Starts draining: responses close their connections, idle VIP connections close now. */
  void begin();

  /** Back to normal (the handoff is over, or failed). */
  void end();

  /** Requests in flight on the VIP's connections now. */
  int inFlight();
}
