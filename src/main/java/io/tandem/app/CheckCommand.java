package io.tandem.app;

import io.tandem.config.ConfigException;
import io.tandem.config.ConfigLoader;
import io.tandem.config.TandemConfig;
import io.tandem.config.WitnessConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem check --config FILE}: validates a config and prints every error; exit 2 when there is
 * one. A file with {@code role: witness} is checked as a witness's config.
 */
@Command(name = "check", description = "Validate a config file and print every error (exit 2 if any).")
final class CheckCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, required = true, description = "The YAML config file.")
  Path config;

  @Override
  public Integer call() {
    ConfigLoader loader = new ConfigLoader();
    try {
      if (loader.declaresWitness(config)) {
        WitnessConfig w = loader.loadWitness(config);
        System.out.printf("%s: ok (witness %s, cluster %s on %s, %d balancer(s))%n", config, w.name(),
            w.cluster().name(), w.cluster().bind(), w.cluster().peers().size());
        return 0;
      }
      TandemConfig c = loader.load(config);
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
