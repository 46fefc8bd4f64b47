package io.tandem.config;

import java.nio.file.Path;

/** The admin API: its own address, the bearer token's file, and whether /metrics needs the token. */
public record AdminConfig(HostPort address, Path tokenFile, boolean metricsOpen) {}
