package io.tandem.app;

import io.tandem.config.HostPort;
import io.tandem.demo.DemoBackend;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem demo-backend}: one demo web app with in-memory sessions, for drills and trials. */
@Command(name = "demo-backend", description = "Run a demo backend (in-memory sessions; see README).")
final class DemoBackendCommand implements Callable<Integer> {
  @Option(names = "--name", required = true, description = "The backend's name, shown in every answer.")
  String name;

  @Option(names = "--listen", required = true, description = "HOST:PORT to listen on.")
  String listen;

  @Override
  public Integer call() throws Exception {
    HostPort address;
    try {
      address = HostPort.parse(listen);
    } catch (IllegalArgumentException e) {
      System.err.println("--listen: \"" + listen + "\" (expected: host:port)");
      return 2;
    }
    Vertx vertx = VertxSetup.plain();
    DemoBackend backend = new DemoBackend(vertx, name);
    try {
      int port = backend.start(address.host(), address.port()).await(30, TimeUnit.SECONDS);
      System.out.println(name + ": demo backend on " + address.host() + ":" + port);
    } catch (Exception e) {
      System.err.println(name + ": cannot listen on " + address + ": " + e.getMessage());
      vertx.close();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // The JVM is going away either way.
      }
    }));
    return RunCommand.KEEP_RUNNING;
  }
}
