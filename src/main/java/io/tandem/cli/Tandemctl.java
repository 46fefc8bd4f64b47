package io.tandem.cli;

import io.tandem.config.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code tandemctl}: the operator's command, a client of one node's admin API. The global options
 * are inherited, so they go before or after the subcommand; unset ones come from the environment
 * ({@code TANDEM_ADMIN}, {@code TANDEM_TOKEN_FILE}, {@code TANDEM_TOKEN}), which is injected so
 * tests do not depend on the real one.
 */
@Command(name = "tandemctl", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
    versionProvider = Tandemctl.VersionProvider.class,
    description = "Operate a Tandem pair through a node's admin API.",
    footer = {"", "Exit codes: 0 done, 1 refused or failed, 2 bad arguments, 3 unreachable or unauthorized.",
        "Bash completion: source <(tandemctl completion)"},
    subcommands = {StatusCommand.class, BackendsCommand.class, BackendActionCommand.Drain.class,
        BackendActionCommand.Enable.class, BackendActionCommand.Maint.class, SessionsCommand.class,
        FailoverCommand.class, MaintenanceCommand.class, CompletionCommand.class})
public final class Tandemctl implements Callable<Integer> {
  static final String DEFAULT_ADMIN = "http://127.0.0.1:9901";
  static final int BAD_ARGUMENTS = 2;

  private final Map<String, String> env;
  private final Clock clock;

  @Spec
  CommandSpec spec;

  @Option(names = "--admin", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = "The node's admin API (default: $TANDEM_ADMIN, else " + DEFAULT_ADMIN + ").")
  String admin;

  @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "File holding the admin token (default: $TANDEM_TOKEN_FILE, else the token in $TANDEM_TOKEN).")
  Path tokenFile;

  @Option(names = "--timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT, defaultValue = "5s",
      converter = DurationConverter.class, description = "Connect and answer timeout, e.g. 500ms, 5s (default: ${DEFAULT-VALUE}); "
          + "for failover and maintenance: how long the handoff may take (default: 10s).")
  Duration timeout;

  public Tandemctl() {
    this(System.getenv(), Clock.systemUTC());
  }

  Tandemctl(Map<String, String> env, Clock clock) {
    this.env = Map.copyOf(env);
    this.clock = clock;
  }

  public static void main(String[] args) {
    System.exit(commandLine(new Tandemctl()).execute(args));
  }

  /** The command with its handlers: a bad argument prints the message and usage (exit 2); nothing prints a stack trace. */
  static CommandLine commandLine(Tandemctl ctl) {
    CommandLine cli = new CommandLine(ctl);
    // Session cookie values are base64url and may start with '-' ("-Vjge.."): still a value.
    cli.setAllowOptionsAsOptionParameters(true);
    cli.setUnmatchedOptionsAllowedAsOptionParameters(true);
    cli.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("tandemctl: " + ex.getMessage());
      c.usage(c.getErr());
      return BAD_ARGUMENTS;
    });
    cli.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (ex instanceof CtlException e) {
        c.getErr().println("tandemctl: " + e.getMessage());
        return e.code();
      }
      c.getErr().println("tandemctl: " + ex);
      return CtlException.REFUSED;
    });
    return cli;
  }

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("tandemctl: a command is required");
    spec.commandLine().usage(spec.commandLine().getErr());
    return BAD_ARGUMENTS;
  }

  /** Whether --timeout was given, before or after the subcommand. */
  boolean timeoutGiven() {
    for (CommandLine.ParseResult p = spec.commandLine().getParseResult(); p != null;
        p = p.subcommand()) {
      if (p.hasMatchedOption("--timeout")) {
        return true;
      }
    }
    return false;
  }

  Clock clock() {
    return clock;
  }

  /** The admin client from the options and the environment; a bad URL or token source is a bad argument. */
  AdminClient client(CommandSpec sub) {
    String url = admin != null ? admin : env("TANDEM_ADMIN") != null ? env("TANDEM_ADMIN") : DEFAULT_ADMIN;
    String base = checkUrl(sub, admin != null ? "--admin" : env("TANDEM_ADMIN") != null ? "TANDEM_ADMIN" : "default", url.trim());
    if (tokenFile != null) {
      return new AdminClient(base, readToken(tokenFile, "--token-file " + tokenFile), "--token-file " + tokenFile, timeout);
    }
    if (env("TANDEM_TOKEN_FILE") != null) {
      String source = "TANDEM_TOKEN_FILE=" + env("TANDEM_TOKEN_FILE");
      return new AdminClient(base, readToken(Path.of(env("TANDEM_TOKEN_FILE")), source), source, timeout);
    }
    if (env("TANDEM_TOKEN") != null) {
      return new AdminClient(base, env("TANDEM_TOKEN").trim(), "TANDEM_TOKEN", timeout);
    }
    return new AdminClient(base, null, null, timeout);
  }

  private String env(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  private static String checkUrl(CommandSpec sub, String source, String url) {
    try {
      URI u = new URI(url);
      if (("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null
          && u.getQuery() == null && u.getFragment() == null) {
        return url.replaceAll("/+$", "");
      }
    } catch (URISyntaxException e) {
      // Reported below in the uniform shape.
    }
    throw new ParameterException(sub.commandLine(),
        source + ": '" + url + "' (expected: an http:// or https:// URL such as " + DEFAULT_ADMIN + ")");
  }

  /** A token that cannot be read cannot authorize: exit 3, as the node's 401 would be. */
  private static String readToken(Path file, String source) {
    String t;
    try {
      t = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw CtlException.unreachable("cannot read the admin token (" + source + "): "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
              : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage()));
    }
    if (t.isEmpty()) {
      throw CtlException.unreachable("the admin token file is empty (" + source + ")");
    }
    return t;
  }

  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d;
      try {
        d = Durations.parse(value);
      } catch (IllegalArgumentException e) {
        d = Duration.ZERO;
      }
      if (d.isZero()) {
        throw new CommandLine.TypeConversionException("'" + value + "' (expected: a duration > 0 such as 500ms or 5s)");
      }
      return d;
    }
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Tandemctl.class.getPackage().getImplementationVersion();
      return new String[] {"tandemctl " + (v == null ? "dev" : v)};
    }
  }
}
