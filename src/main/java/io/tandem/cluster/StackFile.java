package io.tandem.cluster;

import io.tandem.config.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JGroups stack text with Tandem's {@code ${tandem.NAME}} placeholders filled in from the
 * options. Tandem substitutes them itself, rather than through JVM system properties as JGroups
 * would, so that several nodes with different addresses can run in one JVM. A placeholder this
 * class does not know is an error: it must never fall through to JGroups' own substitution.
 */
final class StackFile {
  /** The built-in stack, packaged from conf/jgroups.xml. */
  static final String RESOURCE = "jgroups.xml";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{tandem\\.([a-z_]+)}");
  // VERIFY_SUSPECT2 never waits less than this, whatever the heartbeat: a live peer answers in
  // well under a millisecond on a LAN, but a busy one must not be thrown out for a GC pause.
  private static final long MIN_VERIFY_MILLIS = 100;

  private StackFile() {}

  /** The filled-in stack text for {@code options}. */
  static String render(ClusterOptions options) throws IOException {
    return substitute(read(options.stackFile()), values(options));
  }

  static String read(Path external) throws IOException {
    if (external != null) {
      return Files.readString(external, StandardCharsets.UTF_8);
    }
    try (InputStream in = StackFile.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("built-in JGroups stack " + RESOURCE + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Map<String, String> values(ClusterOptions o) {
    long interval = o.heartbeatInterval().toMillis();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("bind_addr", o.bind().ip().getHostAddress());
    v.put("bind_port", Integer.toString(o.bind().port()));
    v.put("initial_hosts", initialHosts(o));
    v.put("heartbeat_interval", Long.toString(interval));
    v.put("heartbeat_timeout", Long.toString(o.heartbeatTimeout().toMillis()));
    v.put("verify_timeout", Long.toString(Math.max(MIN_VERIFY_MILLIS, interval)));
    v.put("key_file", o.keyFile().toAbsolutePath().toString());
    v.put("key_password", ClusterKey.STORE_PASSWORD);
    return v;
  }

  // TCPPING wants ip[port],ip[port]; listing this node too is harmless and lets one list serve all.
  private static String initialHosts(ClusterOptions o) {
    return Stream.concat(Stream.of(o.bind()), o.peers().stream())
        .distinct()
        .map(hp -> hp.ip().getHostAddress() + "[" + hp.port() + "]")
        .collect(Collectors.joining(","));
  }

  static String substitute(String text, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("JGroups stack: unknown placeholder ${tandem." + m.group(1)
            + "} (expected one of: " + String.join(", ", values.keySet()) + ")");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(xmlEscape(value)));
    }
    m.appendTail(out);
    return out.toString();
  }

  // Values land inside XML attributes: a path with & or " must not break the document.
  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("'", "&apos;")
        .replace("<", "&lt;").replace(">", "&gt;");
  }
}
