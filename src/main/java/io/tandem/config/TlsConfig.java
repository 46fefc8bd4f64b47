package io.tandem.config;

import java.util.List;

/** TLS on a listener; with several certificates the one whose names match the client's SNI is used, the first is the default. */
public record TlsConfig(List<CertificateConfig> certificates, boolean http2) {
  public TlsConfig {
    certificates = List.copyOf(certificates);
  }
}
