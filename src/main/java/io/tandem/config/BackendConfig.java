package io.tandem.config;

import java.net.URI;

/** A backend server of the farm. {@code url} has scheme http or https, a host and a port. */
public record BackendConfig(String id, URI url, int weight) {
  public boolean tls() {
    return "https".equals(url.getScheme());
  }

  public String host() {
    return url.getHost();
  }

  public int port() {
    return url.getPort() > 0 ? url.getPort() : tls() ? 443 : 80;
  }
}
