package io.tandem.proxy;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The VIP's connections on one event loop (used on that loop only, except the in-flight count), so
 * that giving up the VIP loses as little as possible. Vert.x's server shutdown closes at once every connection
 * without a response in progress, including one just accepted whose request is already in its
 * socket buffer (the client sees a reset). Instead: the listening socket closes first, at a moment
 * when every accepted connection has begun its request; each connection serves what it has read,
 * idle ones close only after they have served a request (their response said {@code Connection:
 * close} while draining), and whatever remains closes at the deadline. Connections still in the
 * kernel's accept queue when the listener closes are reset unless the kernel migrates them to the
 * new holder's socket ({@code net.ipv4.tcp_migrate_req=1}); and Vert.x still shuts the children
 * down when the listener closes, so a request that arrives in that instant may be lost (measured on
 * loopback, 6 handoffs under 20 users with a new connection per request: 0 to 6 failed of 13k-50k
 * requests, see PlannedFailoverLoadTest).
 */
final class VipConnections {
  /** Per connection: requests in progress, requests served. */
  private final Map<HttpConnection, int[]> open = new HashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private Channel listener;

  void opened(HttpConnection conn) {
    int[] counts = new int[2];
    open.put(conn, counts);
    if (listener == null && conn instanceof ConnectionBase base && base.channel().parent() != null) {
      listener = base.channel().parent();
    }
  }

  void closed(HttpConnection conn) {
    open.remove(conn);
  }

  /** A request begins on {@code conn}; run the returned action once when its response is done. */
  Runnable requestBegins(HttpConnection conn) {
    int[] c = open.getOrDefault(conn, new int[2]);
    c[0]++;
    inFlight.incrementAndGet();
    boolean[] once = {true};
    return () -> {
      if (once[0]) {
        once[0] = false;
        c[0]--;
        c[1]++;
        inFlight.decrementAndGet();
      }
    };
  }

  int inFlight() {
    return inFlight.get();
  }

  boolean isEmpty() {
    return open.isEmpty();
  }

  /** Closes the connections that have served a request and have none in progress. */
  void closeIdle() {
    for (Map.Entry<HttpConnection, int[]> e : List.copyOf(open.entrySet())) {
      if (e.getValue()[0] == 0 && e.getValue()[1] > 0) {
        e.getKey().close();
      }
    }
  }

  /** Stops accepting (the accepted connections stay); false when the listener is not known. */
  boolean closeListener() {
    Channel l = listener;
    listener = null;
    if (l == null) {
      return false;
    }
    l.close();
    return true;
  }

  /**
   * Whether a connection was accepted but has not begun a request yet. Vert.x shuts every child
   * down when the listening socket closes and drops the first request of such a connection (its
   * client would see it close unanswered), so the listener closes only when there is none.
   */
  boolean hasUnread() {
    for (int[] c : open.values()) {
      if (c[0] == 0 && c[1] == 0) {
        return true;
      }
    }
    return false;
  }
}
