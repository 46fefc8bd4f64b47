package io.tandem.config;

/** This node's identity: its name (in logs, status and the cluster) and its election priority. */
public record NodeConfig(String name, int priority) {}
