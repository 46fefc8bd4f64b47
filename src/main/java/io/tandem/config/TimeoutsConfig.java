package io.tandem.config;

import java.time.Duration;

/** Connect to a backend, wait for its response headers, and keep an idle client connection. */
public record TimeoutsConfig(Duration connect, Duration response, Duration clientIdle) {}
