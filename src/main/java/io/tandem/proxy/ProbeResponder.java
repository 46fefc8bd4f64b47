package io.tandem.proxy;

/**
 * Answers the takeover guard's probe ({@code GET /.well-known/tandem/probe}) from the data path
 * itself: a node whose event loop is stuck does not answer, even if its kernel accepts the TCP
 * connection. Returns the small JSON body (node, state, epoch).
 */
public interface ProbeResponder {
  String PATH = "/.well-known/tandem/probe";

  String answer();

  /**
   * Who may ask: the cluster's members (and loopback). Anyone else's request for the path is
   * forwarded like any other, so the probe tells outsiders nothing about the pair.
   */
  boolean allowed(java.net.InetAddress asker);
}
