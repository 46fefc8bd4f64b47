package io.tandem.app;

import io.tandem.admin.AdminToken;
import io.tandem.config.ConfigException;
import io.tandem.config.ConfigLoader;
import io.tandem.config.TandemConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem run --config FILE}: runs a node until SIGTERM/SIGINT; SIGHUP reloads TLS certificates. */
@Command(name = "run", description = "Run a balancer node.")
final class RunCommand implements Callable<Integer> {
  /** Returned when the node is up: main must not exit, the event loops keep the JVM alive. */
  static final int KEEP_RUNNING = -1;
  private static final System.Logger LOG = System.getLogger(RunCommand.class.getName());

  @Option(names = {"-c", "--config"}, required = true, description = "The YAML config file.")
  Path config;

  @Option(names = "--event-loops", description = "Event loops for the proxy (default: cores).")
  int eventLoops = Runtime.getRuntime().availableProcessors();

  @Option(names = "--transport", description = "Event-loop transport: auto (default: io_uring, else epoll, else "
      + "nio), io_uring, epoll (a third to a half more CPU per request) or nio.")
  String transport = Transports.AUTO;

  @Override
  public Integer call() {
    // Before anything that leaves a trace (the admin token file): a bad argument changes nothing.
    Transports.Choice t;
    try {
      t = new Transports().choose(transport);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    TandemConfig c;
    try {
      c = new ConfigLoader().load(config);
    } catch (ConfigException e) {
      System.err.println(config + ": " + e.errors().size() + " error(s), not starting");
      e.errors().forEach(err -> System.err.println("  " + err));
      return 2;
    }
    AdminToken token;
    try {
      token = AdminToken.loadOrCreate(c.admin().tokenFile());
    } catch (IOException e) {
      System.err.println("admin.token-file: " + e.getMessage());
      return 2;
    }
    return start(c, token, eventLoops, t) ? KEEP_RUNNING : 1;
  }

  /** Starts a node in this JVM and wires the signals; false (with the reason printed) when it cannot start. */
  static boolean start(TandemConfig c, AdminToken token, int eventLoops, Transports.Choice transport) {
    LOG.log(System.Logger.Level.INFO, "{0}: transport {1}{2}", c.node().name(), transport.name(),
        transport.note().isEmpty() ? "" : " (passed over: " + transport.note() + ")");
    Vertx vertx = Vertx.builder()
        .with(VertxSetup.options().setEventLoopPoolSize(Math.max(1, eventLoops)))
        .withTransport(transport.transport())
        .build();
    TandemNode node;
    try {
      node = new TandemNode(vertx, c, token, eventLoops);
      node.start().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println(c.node().name() + ": cannot start: " + e.getMessage());
      vertx.close();
      return false;
    }
    Signals.onHangup(() -> node.reloadTls().onComplete(ar -> LOG.log(
        ar.succeeded() ? System.Logger.Level.INFO : System.Logger.Level.ERROR,
        "{0}: TLS reload {1}", c.node().name(), ar.succeeded() ? "done" : "failed: " + ar.cause().getMessage())));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.log(System.Logger.Level.INFO, "{0}: stopping", c.node().name());
      try {
        // Two steps: a close chained onto a Vert.x future completes on an event loop that the
        // close itself is terminating, and the waiter would never hear of it.
        node.stop().await(10, TimeUnit.SECONDS);
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "{0}: unclean stop: {1}", c.node().name(), e.getMessage());
      }
    }, "tandem-shutdown"));
    return true;
  }
}
