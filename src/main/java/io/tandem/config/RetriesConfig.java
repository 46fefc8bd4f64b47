package io.tandem.config;

/** How many other backends a request tries when connecting fails (nothing was sent, so any method is safe). */
public record RetriesConfig(int connect) {}
