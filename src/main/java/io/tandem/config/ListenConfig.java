package io.tandem.config;

import java.util.Optional;

/** A frontend: the address it binds, and TLS if it terminates it. */
public record ListenConfig(HostPort address, Optional<TlsConfig> tls) {}
