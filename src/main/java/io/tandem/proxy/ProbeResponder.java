package io.tandem.proxy;

/**
 * Answers the takeover guard's probe ({@code GET /.well-known/tandem/probe}) from the data path
 * itself: a node whose event loop is stuck does not answer, even if its kernel accepts the TCP
 * connection. Returns the small JSON body (node, state, epoch).
 */
@FunctionalInterface
public interface ProbeResponder {
  String PATH = "/.well-known/tandem/probe";

  String answer();
}
