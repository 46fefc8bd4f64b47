package io.tandem.config;

import java.nio.file.Path;

/**
 * This node's identity: its name (in logs, status and the cluster), its election priority, and the
 * directory where it keeps state across restarts (maintenance).
 */
public record NodeConfig(String name, int priority, Path stateDir) {}
