package io.tandem.config;

/** The floating address the MASTER serves; with the {@code bind} driver, an IP literal and a port. */
public record VipConfig(VipDriver driver, HostPort address) {}
