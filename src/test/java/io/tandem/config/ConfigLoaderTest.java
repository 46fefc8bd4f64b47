package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String NODE = "node: {name: lb1}\n";
  private static final String LISTEN = "listen: [{address: \"127.0.0.1:8080\"}]\n";
  private static final String BACKENDS = "backends: [{id: web1, url: \"http://127.0.0.1:9000\"}]\n";
  private static final String MINIMAL = NODE + LISTEN + BACKENDS;

  @TempDir Path dir;

  private TandemConfig parse(String yaml) throws ConfigException {
    return new ConfigLoader().parse(yaml, "test.yaml", dir);
  }

  private List<String> errors(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.errors();
    }
    throw new AssertionError("expected errors for:\n" + yaml);
  }

  private void assertOnlyError(String yaml, String message) {
    assertThat(errors(yaml)).containsExactly(message);
  }

  private static String backends(String... urls) {
    StringBuilder b = new StringBuilder("backends:\n");
    for (int i = 0; i < urls.length; i++) {
      b.append("  - {id: web").append(i + 1).append(", url: \"").append(urls[i]).append("\"}\n");
    }
    return b.toString();
  }

  // --- the whole file ---

  @Test
  void parsesMinimalConfig() throws Exception {
    TandemConfig c = parse(MINIMAL);
    assertThat(c.node()).isEqualTo(new NodeConfig("lb1", 100, dir.normalize()));
    assertThat(c.listen()).containsExactly(new ListenConfig(new HostPort("127.0.0.1", 8080), java.util.Optional.empty()));
    assertThat(c.backends()).containsExactly(new BackendConfig("web1", URI.create("http://127.0.0.1:9000"), 1));
  }

  @Test
  void stateDirIsResolvedAgainstTheConfigDirectory() throws Exception {
    TandemConfig c = parse(MINIMAL.replace("node: {name: lb1}", "node: {name: lb1, state-dir: var/state}"));
    assertThat(c.node().stateDir()).isEqualTo(dir.resolve("var/state"));
    assertThat(errors(MINIMAL.replace("node: {name: lb1}", "node: {name: lb1, state-dir: \"\"}")))
        .containsExactly("node.state-dir: \"\" (expected: a directory path)");
  }

  @Test
  void warmUpDefaultsOnAndTakesAWholeNumber() throws Exception {
    assertThat(parse(MINIMAL).node().warmUp()).isEqualTo(NodeConfig.DEFAULT_WARM_UP);
    assertThat(parse(MINIMAL.replace("node: {name: lb1}", "node: {name: lb1, warm-up: 0}")).node().warmUp()).isZero();
    assertThat(errors(MINIMAL.replace("node: {name: lb1}", "node: {name: lb1, warm-up: -5}")))
        .containsExactly("node.warm-up: -5 (expected: 0-100000)");
    assertThat(errors(MINIMAL.replace("node: {name: lb1}", "node: {name: lb1, warm-up: lots}")))
        .containsExactly("node.warm-up: \"lots\" (expected: 0-100000)");
  }

  @Test
  void appliesDefaultsWhenSectionsAreAbsent() throws Exception {
    TandemConfig c = parse(MINIMAL);
    assertThat(c.health()).isEqualTo(new HealthConfig("/health", Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3, 200, 399));
    assertThat(c.passive()).isEqualTo(new PassiveConfig(5, Duration.ofSeconds(10), Duration.ofMinutes(5)));
    assertThat(c.sticky()).isEqualTo(new StickyConfig(StickyMode.LEARN, "JSESSIONID", Duration.ofMinutes(30), List.of(), 1_000_000));
    assertThat(c.timeouts()).isEqualTo(new TimeoutsConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(60)));
    assertThat(c.limits()).isEqualTo(new LimitsConfig(16384, 8192, 10L << 20));
    assertThat(c.retries()).isEqualTo(new RetriesConfig(2));
    assertThat(c.admin()).isEqualTo(new AdminConfig(new HostPort("127.0.0.1", 9901), dir.resolve("admin.token"), true));
  }

  @Test
  void insertModeDefaultsToItsOwnCookie() throws Exception {
    assertThat(parse(MINIMAL + "sticky: {mode: insert}\n").sticky().cookie()).isEqualTo("TANDEM");
  }

  @Test
  void reportsEveryMistakeAtOnce() {
    String yaml = NODE + LISTEN + backends("htp://x") + "health: {interval: 0s, rise: 0}\n";
    assertThat(errors(yaml)).containsExactly(
        "backends[0].url: \"htp://x\" (expected: http:// or https:// URL with a host)",
        "health.interval: 0s (expected: >= 10ms)",
        "health.rise: 0 (expected: 1-100)");
  }

  @Test
  void oneBadValueDoesNotAlsoFailTheRuleAcrossKeys() {
    assertOnlyError(MINIMAL + "health: {interval: 500ms, timeout: soon}\n",
        "health.timeout: \"soon\" (expected: a duration such as 250ms, 2s, 30m)");
  }

  @Test
  void refusesTopLevelList() {
    assertOnlyError("- a\n- b\n", "test.yaml: a list (expected: a mapping with node, listen, backends, ...)");
  }

  @Test
  void refusesTopLevelScalar() {
    assertOnlyError("hello\n", "test.yaml: \"hello\" (expected: a mapping with node, listen, backends, ...)");
  }

  @Test
  void refusesEmptyFile() {
    assertOnlyError("", "test.yaml: empty (expected: a mapping with node, listen, backends, ...)");
    assertOnlyError("# only a comment\n", "test.yaml: empty (expected: a mapping with node, listen, backends, ...)");
  }

  @Test
  void refusesInvalidYaml() {
    assertThat(errors("node: {name: lb1\n")).singleElement().asString().startsWith("test.yaml: not valid YAML at line ");
  }

  @Test
  void refusesDuplicatedKey() {
    assertThat(errors(MINIMAL + "health: {rise: 2}\nhealth: {fall: 2}\n")).singleElement().asString()
        .startsWith("test.yaml: not valid YAML").contains("Duplicate field 'health'");
  }

  @Test
  void refusesUnknownTopLevelKey() {
    assertOnlyError(MINIMAL + "helth: {}\n",
        "helth: unknown key (expected: one of node, listen, backends, health, passive, sticky, timeouts, limits, retries, admin, cluster, vip, role)");
  }

  @Test
  void refusesUnknownNestedKey() {
    assertOnlyError(MINIMAL + "health: {intervall: 2s}\n",
        "health.intervall: unknown key (expected: one of path, interval, timeout, rise, fall, expect)");
  }

  @Test
  void refusesUnknownKeyInListItem() {
    assertOnlyError(NODE + LISTEN + "backends: [{id: web1, url: \"http://h\", wieght: 2}]\n",
        "backends[0].wieght: unknown key (expected: one of id, url, weight)");
  }

  // --- node ---

  @Test
  void requiresNodeName() {
    assertOnlyError(LISTEN + BACKENDS, "node.name: missing (expected: 1-63 letters, digits, '.', '_' or '-')");
  }

  @Test
  void refusesBadNodeName() {
    assertOnlyError("node: {name: \"lb 1\"}\n" + LISTEN + BACKENDS,
        "node.name: \"lb 1\" (expected: 1-63 letters, digits, '.', '_' or '-')");
  }

  @Test
  void refusesPriorityOutOfRange() {
    assertOnlyError("node: {name: lb1, priority: 255}\n" + LISTEN + BACKENDS, "node.priority: 255 (expected: 1-254)");
    assertOnlyError("node: {name: lb1, priority: 0}\n" + LISTEN + BACKENDS, "node.priority: 0 (expected: 1-254)");
  }

  @Test
  void acceptsQuotedInteger() throws Exception {
    assertThat(parse("node: {name: lb1, priority: \"12\"}\n" + LISTEN + BACKENDS).node().priority()).isEqualTo(12);
  }

  @Test
  void refusesNonIntegerPriority() {
    assertOnlyError("node: {name: lb1, priority: high}\n" + LISTEN + BACKENDS, "node.priority: \"high\" (expected: 1-254)");
    assertOnlyError("node: {name: lb1, priority: 1.5}\n" + LISTEN + BACKENDS, "node.priority: 1.5 (expected: 1-254)");
  }

  @Test
  void refusesNodeGivenAsScalar() {
    assertOnlyError("node: lb1\n" + LISTEN + BACKENDS, "node: \"lb1\" (expected: a mapping)");
  }

  // --- listen ---

  @Test
  void requiresListen() {
    assertOnlyError(NODE + BACKENDS, "listen: missing (expected: a list of mappings)");
  }

  @Test
  void refusesEmptyListen() {
    assertOnlyError(NODE + "listen: []\n" + BACKENDS, "listen: [] (expected: at least one listener)");
  }

  @Test
  void refusesListenGivenAsMapping() {
    assertOnlyError(NODE + "listen: {address: \"0.0.0.0:80\"}\n" + BACKENDS,
        "listen: {\"address\":\"0.0.0.0:80\"} (expected: a list of mappings)");
  }

  @Test
  void refusesListenItemThatIsNotAMapping() {
    assertOnlyError(NODE + "listen: [\"0.0.0.0:80\"]\n" + BACKENDS, "listen[0]: \"0.0.0.0:80\" (expected: a mapping)");
  }

  @Test
  void refusesListenAddressWithoutPort() {
    assertOnlyError(NODE + "listen: [{address: \"0.0.0.0\"}]\n" + BACKENDS,
        "listen[0].address: \"0.0.0.0\" (expected: an IP address and port such as 0.0.0.0:80 or [::1]:80)");
  }

  @Test
  void refusesListenHostName() {
    assertOnlyError(NODE + "listen: [{address: \"localhost:80\"}]\n" + BACKENDS,
        "listen[0].address: \"localhost:80\" (expected: an IP address and port such as 0.0.0.0:80 or [::1]:80)");
  }

  @Test
  void acceptsIpv6Listener() throws Exception {
    TandemConfig c = parse(NODE + "listen: [{address: \"[::1]:8443\"}]\n" + BACKENDS);
    assertThat(c.listen().get(0).address()).isEqualTo(new HostPort("::1", 8443));
  }

  @Test
  void refusesDuplicatedListenAddress() {
    assertOnlyError(NODE + "listen: [{address: \"127.0.0.1:8080\"}, {address: \"127.0.0.1:8080\"}]\n" + BACKENDS,
        "listen[1].address: \"127.0.0.1:8080\" (expected: an address no other listener uses (127.0.0.1:8080))");
  }

  @Test
  void refusesListenerCoveredByWildcard() {
    assertOnlyError(NODE + "listen: [{address: \"0.0.0.0:80\"}, {address: \"10.0.0.1:80\"}]\n" + BACKENDS,
        "listen[1].address: \"10.0.0.1:80\" (expected: an address no other listener uses (0.0.0.0:80))");
  }

  @Test
  void refusesDuplicatedIpv6ListenAddressWrittenTwoWays() {
    assertOnlyError(NODE + "listen: [{address: \"[::1]:80\"}, {address: \"[0:0:0:0:0:0:0:1]:80\"}]\n" + BACKENDS,
        "listen[1].address: \"[0:0:0:0:0:0:0:1]:80\" (expected: an address no other listener uses ([::1]:80))");
  }

  @Test
  void allowsSeveralListenersOnPortZero() throws Exception {
    assertThat(parse(NODE + "listen: [{address: \"127.0.0.1:0\"}, {address: \"127.0.0.1:0\"}]\n" + BACKENDS).listen())
        .hasSize(2);
  }

  // --- tls ---

  private Path copyPem(String name, Path target) throws Exception {
    Files.createDirectories(target.getParent());
    return Files.copy(Path.of(getClass().getResource(name).toURI()), target);
  }

  @Test
  void resolvesRelativeCertificatePathsAgainstTheConfigDirectory() throws Exception {
    Path conf = dir.resolve("etc");
    copyPem("localhost.crt", conf.resolve("tls/site.crt"));
    copyPem("localhost.key", conf.resolve("tls/site.key"));
    Path file = Files.writeString(conf.resolve("tandem.yaml"), NODE + BACKENDS
        + "listen: [{address: \"127.0.0.1:8443\", tls: {certificates: [{cert: tls/site.crt, key: tls/site.key}]}}]\n");
    TlsConfig tls = new ConfigLoader().load(file).listen().get(0).tls().orElseThrow();
    assertThat(tls.certificates()).containsExactly(
        new CertificateConfig(conf.resolve("tls/site.crt"), conf.resolve("tls/site.key")));
    assertThat(tls.http2()).isTrue();
  }

  @Test
  void reportsMissingCertificateFile() throws Exception {
    copyPem("localhost.key", dir.resolve("site.key"));
    assertOnlyError(NODE + BACKENDS
            + "listen: [{address: \"127.0.0.1:8443\", tls: {certificates: [{cert: missing.crt, key: site.key}]}}]\n",
        "listen[0].tls.certificates[0].cert: \"" + dir.resolve("missing.crt") + "\" (expected: a readable PEM file)");
  }

  @Test
  void refusesDirectoryOrNonPemAsCertificate() throws Exception {
    copyPem("localhost.crt", dir.resolve("site.crt"));
    Files.writeString(dir.resolve("site.der"), "not pem");
    assertOnlyError(NODE + BACKENDS
            + "listen: [{address: \"127.0.0.1:8443\", tls: {certificates: [{cert: site.crt, key: site.der}]}}]\n",
        "listen[0].tls.certificates[0].key: \"" + dir.resolve("site.der") + "\" (expected: a readable PEM file)");
    assertOnlyError(NODE + BACKENDS
            + "listen: [{address: \"127.0.0.1:8443\", tls: {certificates: [{cert: site.crt, key: .}]}}]\n",
        "listen[0].tls.certificates[0].key: \"" + dir + "\" (expected: a readable PEM file)");
  }

  @Test
  void refusesEmptyCertificateList() {
    assertOnlyError(NODE + BACKENDS + "listen: [{address: \"127.0.0.1:8443\", tls: {certificates: []}}]\n",
        "listen[0].tls.certificates: [] (expected: at least one {cert, key})");
  }

  // --- backends ---

  @Test
  void requiresBackends() {
    assertOnlyError(NODE + LISTEN, "backends: missing (expected: a list of mappings)");
  }

  @Test
  void refusesEmptyBackends() {
    assertOnlyError(NODE + LISTEN + "backends: []\n", "backends: [] (expected: at least one backend)");
  }

  @Test
  void refusesBadScheme() {
    assertOnlyError(NODE + LISTEN + backends("http://a:80", "htp://x"),
        "backends[1].url: \"htp://x\" (expected: http:// or https:// URL with a host)");
  }

  @Test
  void refusesBadUrls() {
    for (String url : List.of("http://", "http:///x", "http://h:99999", "http://h:0", "http://h:-1", "http://h:+80",
        "http://h/app", "http://h?x=1", "http://h#f", "http://u:p@h", "http://u@h:80", "ftp://h", "h:80", "//h",
        "http://my_host", "http://999.1.1.1", "http://-h", "http://[zz]:80", "http://[1.2.3.4]", "http:// h",
        "http://h:80:81")) {
      assertThat(errors(NODE + LISTEN + backends(url)))
          .as(url).containsExactly("backends[0].url: \"" + url + "\" (expected: http:// or https:// URL with a host)");
    }
  }

  @Test
  void defaultsBackendPortFromScheme() throws Exception {
    TandemConfig c = parse(NODE + LISTEN + backends("http://web1.internal", "https://web2.internal/"));
    assertThat(c.backends()).extracting(BackendConfig::host, BackendConfig::port, BackendConfig::tls, b -> b.url().toString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("web1.internal", 80, false, "http://web1.internal"),
            org.assertj.core.groups.Tuple.tuple("web2.internal", 443, true, "https://web2.internal"));
  }

  @Test
  void acceptsIpLiteralsAndHostNamesAsBackendHosts() throws Exception {
    TandemConfig c = parse(NODE + LISTEN + backends("HTTP://198.18.0.21:8080", "http://[::1]:8080", "http://1web:81", "https://[fd00::5]"));
    assertThat(c.backends()).extracting(BackendConfig::host, BackendConfig::port, b -> b.url().toString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("198.18.0.21", 8080, "http://198.18.0.21:8080"),
            org.assertj.core.groups.Tuple.tuple("::1", 8080, "http://[::1]:8080"),
            org.assertj.core.groups.Tuple.tuple("1web", 81, "http://1web:81"),
            org.assertj.core.groups.Tuple.tuple("fd00::5", 443, "https://[fd00::5]"));
  }

  @Test
  void refusesDuplicatedBackendId() {
    assertOnlyError(NODE + LISTEN + "backends: [{id: web1, url: \"http://a\"}, {id: web1, url: \"http://b\"}]\n",
        "backends[1].id: \"web1\" (expected: an id no other backend uses)");
  }

  @Test
  void refusesTwoBackendsForOneServer() {
    assertOnlyError(NODE + LISTEN + backends("http://a", "http://A:80"),
        "backends[1].url: \"http://A:80\" (expected: a server no other backend uses)");
  }

  @Test
  void requiresBackendIdAndUrl() {
    assertThat(errors(NODE + LISTEN + "backends: [{weight: 2}]\n")).containsExactly(
        "backends[0].id: missing (expected: 1-63 letters, digits, '.', '_' or '-')",
        "backends[0].url: missing (expected: http:// or https:// URL with a host)");
  }

  @Test
  void refusesWeightOutOfRange() {
    assertOnlyError(NODE + LISTEN + "backends: [{id: web1, url: \"http://a\", weight: 0}]\n",
        "backends[0].weight: 0 (expected: 1-256)");
  }

  // --- health ---

  @Test
  void refusesHealthPathWithoutSlash() {
    assertOnlyError(MINIMAL + "health: {path: health}\n", "health.path: \"health\" (expected: a path starting with / (no spaces))");
  }

  @Test
  void refusesTooShortInterval() {
    assertOnlyError(MINIMAL + "health: {interval: 5ms, timeout: 1ms}\n", "health.interval: 5ms (expected: >= 10ms)");
  }

  @Test
  void refusesNegativeDuration() {
    assertOnlyError(MINIMAL + "health: {interval: -1s}\n",
        "health.interval: \"-1s\" (expected: a duration such as 250ms, 2s, 30m)");
  }

  @Test
  void refusesDurationWithoutUnit() {
    assertOnlyError(MINIMAL + "health: {interval: 2}\n", "health.interval: 2 (expected: a duration such as 250ms, 2s, 30m)");
  }

  @Test
  void refusesHugeDuration() {
    assertOnlyError(MINIMAL + "health: {interval: 99999999999d}\n", "health.interval: 99999999999d (expected: <= 365d)");
    assertOnlyError(MINIMAL + "health: {interval: 999999999999d}\n",
        "health.interval: \"999999999999d\" (expected: a duration such as 250ms, 2s, 30m)");
  }

  @Test
  void refusesTimeoutLongerThanInterval() {
    assertOnlyError(MINIMAL + "health: {interval: 2s, timeout: 3s}\n", "health.timeout: 3s (expected: <= health.interval (2s))");
  }

  @Test
  void parsesExpectedStatusRange() throws Exception {
    HealthConfig h = parse(MINIMAL + "health: {expect: 204}\n").health();
    assertThat(h.expected(204)).isTrue();
    assertThat(h.expected(200)).isFalse();
    assertThat(parse(MINIMAL + "health: {expect: 200-299}\n").health().expectMax()).isEqualTo(299);
  }

  @Test
  void refusesBadExpectedStatus() {
    assertOnlyError(MINIMAL + "health: {expect: 399-200}\n",
        "health.expect: \"399-200\" (expected: a status or range such as 200 or 200-399)");
    assertOnlyError(MINIMAL + "health: {expect: 600}\n",
        "health.expect: 600 (expected: a status or range such as 200 or 200-399)");
  }

  // --- passive ---

  @Test
  void refusesMaxEjectShorterThanEject() {
    assertOnlyError(MINIMAL + "passive: {eject-time: 10s, max-eject-time: 5s}\n",
        "passive.max-eject-time: 5s (expected: >= passive.eject-time (10s))");
  }

  @Test
  void zeroFailuresTurnsPassiveEjectionOff() throws Exception {
    assertThat(parse(MINIMAL + "passive: {consecutive-failures: 0}\n").passive().enabled()).isFalse();
  }

  // --- sticky ---

  @Test
  void refusesUnknownStickyMode() {
    assertOnlyError(MINIMAL + "sticky: {mode: sticky}\n", "sticky.mode: \"sticky\" (expected: learn | insert | source | none)");
  }

  @Test
  void refusesBadCookieName() {
    assertOnlyError(MINIMAL + "sticky: {cookie: \"a b\"}\n", "sticky.cookie: \"a b\" (expected: a cookie name (token characters, 1-64))");
  }

  @Test
  void refusesTrustedProxyHostName() {
    assertOnlyError(MINIMAL + "sticky: {mode: source, trusted-proxies: [10.0.0.0/8, proxy.example, \"::1\"]}\n",
        "sticky.trusted-proxies[1]: \"proxy.example\" (expected: an IP address or CIDR block literal)");
  }

  @Test
  void refusesTrustedProxiesGivenAsScalar() {
    assertOnlyError(MINIMAL + "sticky: {trusted-proxies: 10.0.0.0/8}\n",
        "sticky.trusted-proxies: \"10.0.0.0/8\" (expected: a list)");
  }

  @Test
  void refusesTooShortIdleTimeout() {
    assertOnlyError(MINIMAL + "sticky: {idle-timeout: 500ms}\n", "sticky.idle-timeout: 500ms (expected: >= 1s)");
  }

  @Test
  void refusesMaxEntriesOutOfRange() {
    assertOnlyError(MINIMAL + "sticky: {max-entries: 0}\n", "sticky.max-entries: 0 (expected: 1-50000000)");
  }

  // --- timeouts, limits, retries ---

  @Test
  void refusesTooShortClientIdle() {
    assertOnlyError(MINIMAL + "timeouts: {client-idle: 500ms}\n", "timeouts.client-idle: 500ms (expected: >= 1s)");
  }

  @Test
  void refusesZeroConnectTimeout() {
    assertOnlyError(MINIMAL + "timeouts: {connect: 0s}\n", "timeouts.connect: 0s (expected: >= 1ms)");
  }

  @Test
  void refusesTooSmallHeaderLimit() {
    assertOnlyError(MINIMAL + "limits: {max-header-bytes: 512}\n", "limits.max-header-bytes: 512 (expected: 1024-1048576)");
  }

  @Test
  void refusesIntegerThatOverflowsALong() {
    assertOnlyError(MINIMAL + "limits: {max-body-bytes: 18446744073709551621}\n",
        "limits.max-body-bytes: 18446744073709551621 (expected: 0-1099511627776)");
  }

  @Test
  void refusesTooManyRetries() {
    assertOnlyError(MINIMAL + "retries: {connect: 11}\n", "retries.connect: 11 (expected: 0-10)");
  }

  // --- admin ---

  @Test
  void refusesAdminOnAListenerAddress() {
    assertOnlyError(MINIMAL + "admin: {address: \"127.0.0.1:8080\"}\n",
        "admin.address: \"127.0.0.1:8080\" (expected: an address no listener uses (127.0.0.1:8080))");
  }

  @Test
  void refusesNonBooleanMetricsOpen() {
    assertOnlyError(MINIMAL + "admin: {metrics-open: 1}\n", "admin.metrics-open: 1 (expected: true or false)");
    assertOnlyError(MINIMAL + "admin: {metrics-open: open}\n", "admin.metrics-open: \"open\" (expected: true or false)");
  }

  @Test
  void resolvesRelativeTokenFile() throws Exception {
    assertThat(parse(MINIMAL + "admin: {token-file: secret/admin.token}\n").admin().tokenFile())
        .isEqualTo(dir.resolve("secret/admin.token"));
  }
}
