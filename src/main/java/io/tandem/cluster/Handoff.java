package io.tandem.cluster;

/**
 * A planned handoff as one node knows it: the holder {@code from} gives the VIP to {@code to}. While
 * it lasts, every node's ballot names {@code to} (if it is still a live candidate) instead of the
 * usual choice, so neither the old MASTER nor a third node takes the VIP in between. {@code ready}
 * says the holder has drained and lets the target take the VIP at once (without waiting for the
 * holder's claim to end, and without the takeover guard, which would find the holder alive).
 *
 * @param from the MASTER that hands over
 * @param to the node that takes over
 * @param ready the holder has drained: the target takes the VIP now
 * @param deadline the election clock's time after which the handoff has failed and is forgotten
 */
record Handoff(String from, String to, boolean ready, long deadline) {
  Handoff readyNow() {
    return new Handoff(from, to, true, deadline);
  }
}
