package io.tandem.sticky;

/**
 * A user's binding. {@code version} grows with each bind or re-bind of the key, so replicas and a
 * merge after a partition can tell the newest; {@code lastSeenMillis} drives idle expiry.
 */
public record Binding(String key, String backendId, long version, long lastSeenMillis) {}
