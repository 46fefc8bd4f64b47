package io.tandem.config;

import java.nio.file.Path;

/**
 * This node's identity: its name (in logs, status and the cluster), its election priority, the
 * directory where it keeps state across restarts (maintenance), and how many requests it sends
 * through each of its event loops' data path at start ({@code warm-up}; 0: none), so that a standby
 * taking over serves its first users at full speed instead of with cold code. A clustered node with a
 * warm-up also runs JGroups' crash path once in a private loopback pair, for its first suspicion.
 */
public record NodeConfig(String name, int priority, Path stateDir, int warmUp) {
  /** The default warm-up: enough for the JIT to compile the request path's hot methods. */
  public static final int DEFAULT_WARM_UP = 300;

  public NodeConfig(String name, int priority, Path stateDir) {
    this(name, priority, stateDir, DEFAULT_WARM_UP);
  }
}
