package io.tandem.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a YAML file into a {@link TandemConfig}. Every rule is checked and every failure collected,
 * so {@code tandem check} shows an operator the whole list at once. Relative file paths are taken
 * from the config file's directory, so a config and its certificates can move together.
 */
public final class ConfigLoader {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Pattern COOKIE_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
  private static final Pattern STATUS_RANGE = Pattern.compile("([1-5]\\d\\d)(?:-([1-5]\\d\\d))?");
  static final String BALANCER = "balancer";
  static final String WITNESS = "witness";
  static final String NAME_RULE = "1-63 letters, digits, '.', '_' or '-'";

  private static final Pattern REQUEST_PATH = Pattern.compile("/[\\x21-\\x7e]*");

  // A key written twice must not let the second silently win.
  private final ObjectMapper yaml =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  public TandemConfig load(Path file) throws ConfigException {
    return parse(readText(file), file.toString(), file.toAbsolutePath().getParent());
  }

  public TandemConfig parse(String text, String source, Path baseDir) throws ConfigException {
    List<String> errors = new ArrayList<>();
    Section top = new Section("", root(text, source), errors);
    TandemConfig config = read(top, baseDir);
    top.finish();
    if (!errors.isEmpty()) {
      throw new ConfigException(source, errors);
    }
    return config;
  }

  /** Reads a witness's config ({@code role: witness}, see {@link WitnessConfig}). */
  public WitnessConfig loadWitness(Path file) throws ConfigException {
    return parseWitness(readText(file), file.toString(), file.toAbsolutePath().getParent());
  }

  public WitnessConfig parseWitness(String text, String source, Path baseDir) throws ConfigException {
    List<String> errors = new ArrayList<>();
    Section top = new Section("", root(text, source), errors);
    top.value("role", null, "witness (a balancer's config has no role and runs with `tandem run`)",
        v -> v.equals(WITNESS) ? v : null);
    if (!errors.isEmpty()) {
      // Another kind of file altogether: its every key would be wrong here, one line says why.
      throw new ConfigException(source, errors);
    }
    WitnessConfig config = readWitness(top, baseDir);
    top.finish();
    if (!errors.isEmpty()) {
      throw new ConfigException(source, errors);
    }
    return config;
  }

  /**
   * Whether the file says it is a witness's config ({@code role: witness}), for {@code tandem
   * check} to pick the rules; false for anything else, unreadable files included (the loader then
   * reports what is wrong).
   */
  public boolean declaresWitness(Path file) {
    try {
      JsonNode root = yaml.readTree(Files.readString(file));
      return root != null && root.isObject() && WITNESS.equals(root.path("role").asText(""));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String readText(Path file) throws ConfigException {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of(file + ": cannot read (" + e.getMessage() + ")"));
    }
  }

  private JsonNode root(String text, String source) throws ConfigException {
    JsonNode root;
    try {
      root = yaml.readTree(text);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException(source, List.of(source + ": not valid YAML" + where + " (" + e.getOriginalMessage() + ")"));
    }
    if (root == null || !root.isObject()) {
      String shown = root == null || root.isMissingNode() || root.isNull() ? "empty"
          : root.isArray() ? "a list" : Section.show(root);
      throw new ConfigException(source,
          List.of(source + ": " + shown + " (expected: a mapping with node, listen, backends, ...)"));
    }
    return root;
  }

  private TandemConfig read(Section top, Path base) {
    NodeConfig node = node(top.sectionOrEmpty("node"), base);
    List<ListenConfig> listen = listen(top, base);
    List<BackendConfig> backends = backends(top);
    HealthConfig health = health(top.sectionOrEmpty("health"));
    PassiveConfig passive = passive(top.sectionOrEmpty("passive"));
    StickyConfig sticky = sticky(top.sectionOrEmpty("sticky"));
    TimeoutsConfig timeouts = timeouts(top.sectionOrEmpty("timeouts"));
    LimitsConfig limits = limits(top.sectionOrEmpty("limits"));
    Section r = top.sectionOrEmpty("retries");
    RetriesConfig retries = new RetriesConfig(r.integer("connect", 2, 0, 10));
    r.finish();
    AdminConfig admin = admin(top.sectionOrEmpty("admin"), base, listen);
    Optional<ClusterConfig> cluster = ClusterConfigReader.cluster(top, base);
    Optional<VipConfig> vip = ClusterConfigReader.vip(top, listen, base);
    // Optional, last: a witness's config says `role: witness`, and must not run as a balancer.
    top.value("role", BALANCER, "balancer (a witness config, role: witness, runs with `tandem witness`)",
        v -> v.equals(BALANCER) ? v : null);
    return new TandemConfig(node, listen, backends, health, passive, sticky, timeouts, limits, retries, admin,
        cluster, vip);
  }

  /** The top-level keys of a balancer's config that a witness's must not have. */
  private static final List<String> PROXY_SECTIONS = List.of("listen", "backends", "health", "passive", "sticky",
      "timeouts", "limits", "retries", "admin", "vip");

  private static WitnessConfig readWitness(Section top, Path base) {
    Section n = top.sectionOrEmpty("node");
    String name = n.value("name", null, NAME_RULE, v -> NAME.matcher(v).matches() ? v : null);
    n.refuse("priority", "absent in a witness config: the witness is never elected");
    n.finish();
    for (String key : PROXY_SECTIONS) {
      top.refuse(key, "absent in a witness config: the witness serves no proxy and holds no VIP");
    }
    ClusterConfig cluster = ClusterConfigReader.witnessCluster(top, base);
    return new WitnessConfig(name == null ? "invalid" : name, cluster);
  }

  private static NodeConfig node(Section s, Path base) {
    String name = s.value("name", null, NAME_RULE, v -> NAME.matcher(v).matches() ? v : null);
    int priority = s.integer("priority", 100, 1, 254);
    Path stateDir = s.value("state-dir", resolve(base, "."), "a directory path",
        v -> v.isBlank() ? null : resolve(base, v));
    int warmUp = s.integer("warm-up", NodeConfig.DEFAULT_WARM_UP, 0, 100_000);
    s.finish();
    return new NodeConfig(name == null ? "invalid" : name, priority, stateDir.normalize(), warmUp);
  }

  private static List<ListenConfig> listen(Section top, Path base) {
    List<ListenConfig> out = new ArrayList<>();
    List<Section> items = top.sections("listen", true);
    if (top.isEmptyList("listen")) {
      top.error("listen", "[]", "at least one listener");
    }
    for (Section l : items) {
      HostPort address = l.address("address", null);
      if (address != null) {
        for (ListenConfig other : out) {
          if (address.overlaps(other.address())) {
            l.error("address", '"' + address.toString() + '"',
                "an address no other listener uses (" + other.address() + ")");
            break;
          }
        }
      }
      Optional<TlsConfig> tls = l.section("tls").map(t -> tls(t, base));
      l.finish();
      if (address != null) {
        out.add(new ListenConfig(address, tls));
      }
    }
    return out;
  }

  private static TlsConfig tls(Section t, Path base) {
    List<CertificateConfig> certs = new ArrayList<>();
    List<Section> items = t.sections("certificates", true);
    if (t.isEmptyList("certificates")) {
      t.error("certificates", "[]", "at least one {cert, key}");
    }
    for (Section c : items) {
      Path cert = readableFile(c, "cert", base);
      Path key = readableFile(c, "key", base);
      c.finish();
      if (cert != null && key != null) {
        certs.add(new CertificateConfig(cert, key));
      }
    }
    boolean http2 = t.bool("http2", true);
    t.finish();
    return new TlsConfig(certs, http2);
  }

  private static Path readableFile(Section s, String key, Path base) {
    Path p = s.value(key, null, "a readable PEM file", v -> v.isBlank() ? null : resolve(base, v));
    if (p != null && !isPem(p)) {
      s.error(key, '"' + p.toString() + '"', "a readable PEM file");
      return null;
    }
    return p;
  }

  // Read at load, not only checked for access: a directory or a DER file must fail here, not at start.
  private static boolean isPem(Path p) {
    try {
      return Files.isRegularFile(p) && Files.isReadable(p)
          && new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static Path resolve(Path base, String v) {
    Path p = Path.of(v);
    return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
  }

  private static List<BackendConfig> backends(Section top) {
    List<BackendConfig> out = new ArrayList<>();
    List<Section> items = top.sections("backends", true);
    if (top.isEmptyList("backends")) {
      top.error("backends", "[]", "at least one backend");
    }
    Set<String> ids = new HashSet<>();
    Set<String> servers = new HashSet<>();
    for (Section b : items) {
      String id = b.value("id", null, NAME_RULE, v -> NAME.matcher(v).matches() ? v : null);
      if (id != null && !ids.add(id)) {
        b.error("id", '"' + id + '"', "an id no other backend uses");
      }
      URI url = b.value("url", null, "http:// or https:// URL with a host", ConfigLoader::backendUrl);
      if (url != null) {
        BackendConfig probe = new BackendConfig("-", url, 1);
        if (!servers.add(probe.host().toLowerCase(Locale.ROOT) + " " + probe.port())) {
          b.error("url", '"' + url.toString() + '"', "a server no other backend uses");
        }
      }
      int weight = b.integer("weight", 1, 1, 256);
      b.finish();
      if (id != null && url != null) {
        out.add(new BackendConfig(id, url, weight));
      }
    }
    return out;
  }

  /**
   * {@code scheme://host[:port][/]} and nothing else: no user info (credentials do not belong in a
   * config that is printed), no path, query or fragment. The host is an IPv4 literal, a bracketed
   * IPv6 literal or a host name; the port, if given, is 1-65535. Returns the normalised URL.
   */
  static URI backendUrl(String v) {
    URI u = URI.create(v);
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return null;
    }
    String authority = u.getRawAuthority();
    if (authority == null || authority.isEmpty() || authority.indexOf('@') >= 0
        || u.getRawQuery() != null || u.getRawFragment() != null) {
      return null;
    }
    String path = u.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      return null;
    }
    String host;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = authority.substring(1, close);
      if (host.indexOf(':') < 0 || IpLiterals.parse(host) == null) {
        return null;
      }
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          return null;
        }
        portText = rest.substring(1);
      }
      host = "[" + host + "]";
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
      if (IpLiterals.parse(host) == null && !HostPort.isHostName(host)) {
        return null;
      }
    }
    if (portText != null && HostPort.port(portText) == 0) {
      return null;
    }
    return URI.create(scheme + "://" + host + (portText == null ? "" : ":" + Integer.parseInt(portText)));
  }

  private static HealthConfig health(Section s) {
    String path = s.value("path", "/health", "a path starting with / (no spaces)",
        v -> REQUEST_PATH.matcher(v).matches() ? v : null);
    Duration interval = s.duration("interval", Duration.ofSeconds(2), Duration.ofMillis(10));
    Duration timeout = s.duration("timeout", Duration.ofSeconds(1), Duration.ofMillis(1));
    int rise = s.integer("rise", 2, 1, 100);
    int fall = s.integer("fall", 3, 1, 100);
    int[] expect = s.value("expect", new int[] {200, 399}, "a status or range such as 200 or 200-399",
        ConfigLoader::statusRange);
    s.check(timeout.compareTo(interval) <= 0, "timeout", Durations.format(timeout),
        "<= health.interval (" + Durations.format(interval) + ")", "interval");
    s.finish();
    return new HealthConfig(path, interval, timeout, rise, fall, expect[0], expect[1]);
  }

  private static int[] statusRange(String v) {
    var m = STATUS_RANGE.matcher(v.trim());
    if (!m.matches()) {
      return null;
    }
    int lo = Integer.parseInt(m.group(1));
    int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
    return lo <= hi ? new int[] {lo, hi} : null;
  }

  private static PassiveConfig passive(Section s) {
    int failures = s.integer("consecutive-failures", 5, 0, 1000);
    Duration eject = s.duration("eject-time", Duration.ofSeconds(10), Duration.ofMillis(10));
    Duration max = s.duration("max-eject-time", Duration.ofMinutes(5), Duration.ofMillis(10));
    s.check(max.compareTo(eject) >= 0, "max-eject-time", Durations.format(max),
        ">= passive.eject-time (" + Durations.format(eject) + ")", "eject-time");
    s.finish();
    return new PassiveConfig(failures, eject, max);
  }

  private static StickyConfig sticky(Section s) {
    StickyMode mode = s.enumValue("mode", StickyMode.class, StickyMode.LEARN);
    String defaultCookie = mode == StickyMode.INSERT ? "TANDEM" : "JSESSIONID";
    String cookie = s.value("cookie", defaultCookie, "a cookie name (token characters, 1-64)",
        v -> COOKIE_NAME.matcher(v).matches() ? v : null);
    Duration idle = s.duration("idle-timeout", Duration.ofMinutes(30), Duration.ofSeconds(1));
    List<Cidr> trusted = s.list("trusted-proxies", "an IP address or CIDR block literal", Cidr::parse);
    int maxEntries = s.integer("max-entries", 1_000_000, 1, 50_000_000);
    s.finish();
    return new StickyConfig(mode, cookie, idle, trusted, maxEntries);
  }

  private static TimeoutsConfig timeouts(Section s) {
    Duration connect = s.duration("connect", Duration.ofSeconds(2), Duration.ofMillis(1));
    Duration response = s.duration("response", Duration.ofSeconds(30), Duration.ofMillis(1));
    Duration idle = s.duration("client-idle", Duration.ofSeconds(60), Duration.ofSeconds(1));
    s.finish();
    return new TimeoutsConfig(connect, response, idle);
  }

  private static LimitsConfig limits(Section s) {
    int header = s.integer("max-header-bytes", 16384, 1024, 1 << 20);
    int uri = s.integer("max-uri-bytes", 8192, 256, 1 << 20);
    long body = s.longValue("max-body-bytes", 10L << 20, 0, 1L << 40);
    s.finish();
    return new LimitsConfig(header, uri, body);
  }

  private static AdminConfig admin(Section s, Path base, List<ListenConfig> listen) {
    HostPort address = s.address("address", new HostPort("127.0.0.1", 9901));
    if (s.valid("address")) {
      for (ListenConfig l : listen) {
        if (address.overlaps(l.address())) {
          s.error("address", '"' + address.toString() + '"',
              "an address no listener uses (" + l.address() + ")");
          break;
        }
      }
    }
    Path token = s.value("token-file", resolve(base, "admin.token"), "a file path",
        v -> v.isBlank() ? null : resolve(base, v));
    boolean open = s.bool("metrics-open", true);
    s.finish();
    return new AdminConfig(address, token, open);
  }
}
