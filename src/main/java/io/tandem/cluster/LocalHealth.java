package io.tandem.cluster;

/** The node's own checks, read on every heartbeat: is its data path alive, does it have a usable backend. */
public interface LocalHealth {
  /** Null when healthy, else why not ("no usable backend", "event loop stuck for 812 ms"). */
  String problem();

  int usableBackends();
}
