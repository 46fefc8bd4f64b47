package io.tandem.config;

/**
 * An address to bind or connect to, parsed once: {@code 127.0.0.1:8080}, {@code [::1]:8080},
 * {@code 0.0.0.0:80}. Host names are allowed for backends only; the parser keeps them as given.
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
  }

  /** Parses {@code host:port}; throws IllegalArgumentException with a short reason. */
  public static HostPort parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing");
    }
    String s = text.trim();
    String host;
    String portText;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("bad IPv6 literal");
      }
      host = s.substring(1, close);
      portText = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || s.indexOf(':') != colon) {
        throw new IllegalArgumentException("no port");
      }
      host = s.substring(0, colon);
      portText = s.substring(colon + 1);
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
    return new HostPort(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
