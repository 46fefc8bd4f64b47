package io.tandem.cluster;

/** How the VIP changes hands in a planned handoff; the VIP driver decides which is safe. */
public enum HandoffOrder {
  /**
   * The holder waits until its in-flight requests are done, releases the VIP, then the target takes
   * it: never two holders (drivers that move an address between hosts, where two holders would
   * split the traffic and answer ARP both).
   */
  RELEASE_FIRST,
  /**
   * The target takes the VIP while the holder still serves it, then the holder stops accepting and
   * finishes its in-flight requests: no moment without a listener ({@code bind}, where both share
   * the address with SO_REUSEPORT on one host).
   */
  TAKE_FIRST
}
