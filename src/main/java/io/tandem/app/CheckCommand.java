package io.tandem.app;

import io.tandem.config.ConfigException;
import io.tandem.config.ConfigLoader;
import io.tandem.config.TandemConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem check --config FILE}: validates a config and prints every error; exit 2 when there is one. */
@Command(name = "check", description = "Validate a config file and print every error (exit 2 if any).")
final class CheckCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, required = true, description = "The YAML config file.")
  Path config;

  @Override
  public Integer call() {
    try {
      TandemConfig c = new ConfigLoader().load(config);
      System.out.printf("%s: ok (node %s, %d listener(s), %d backend(s), sticky %s)%n", config,
          c.node().name(), c.listen().size(), c.backends().size(), c.sticky().mode().name().toLowerCase());
      return 0;
    } catch (ConfigException e) {
      System.err.println(config + ": " + e.errors().size() + " error(s)");
      e.errors().forEach(err -> System.err.println("  " + err));
      return 2;
    }
  }
}
