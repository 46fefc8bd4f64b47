package io.tandem.config;

import java.net.URI;

/**
 * A backend server of the farm. {@code url} is {@code scheme://host[:port]} as the loader
 * normalised it: scheme http or https, a host (IP literal or name), no path.
 */
public record BackendConfig(String id, URI url, int weight) {
  public boolean tls() {
    return "https".equals(url.getScheme());
  }

  /** The host to connect to, without the brackets of an IPv6 literal. */
  public String host() {
    String a = hostPart();
    return a.startsWith("[") ? a.substring(1, a.length() - 1) : a;
  }

  public int port() {
    String a = url.getRawAuthority();
    String rest = a.substring(hostPart().length());
    // URI leaves the port unparsed for a name it does not call a server name (such as "1web").
    return rest.startsWith(":") && rest.length() > 1 ? Integer.parseInt(rest.substring(1)) : tls() ? 443 : 80;
  }

  private String hostPart() {
    String a = url.getRawAuthority();
    if (a.startsWith("[")) {
      return a.substring(0, a.indexOf(']') + 1);
    }
    int colon = a.indexOf(':');
    return colon < 0 ? a : a.substring(0, colon);
  }
}
