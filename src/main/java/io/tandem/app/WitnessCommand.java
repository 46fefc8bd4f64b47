package io.tandem.app;

import io.tandem.cluster.WitnessNode;
import io.tandem.config.ConfigException;
import io.tandem.config.ConfigLoader;
import io.tandem.config.WitnessConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem witness --config FILE}: runs a witness (a third member that only votes, see {@link
 * WitnessNode}) until SIGTERM/SIGINT, when it leaves the cluster cleanly.
 */
@Command(name = "witness", description = "Run a witness: a cluster member that only votes (no proxy, no VIP).")
final class WitnessCommand implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger(WitnessCommand.class.getName());

  @Option(names = {"-c", "--config"}, required = true, description = "The witness's YAML config file (role: witness).")
  Path config;

  @Override
  public Integer call() {
    WitnessConfig c;
    try {
      c = new ConfigLoader().loadWitness(config);
    } catch (ConfigException e) {
      System.err.println(config + ": " + e.errors().size() + " error(s), not starting");
      e.errors().forEach(err -> System.err.println("  " + err));
      return 2;
    }
    WitnessNode node;
    try {
      node = new WitnessNode(c.name(), c.cluster());
    } catch (Exception e) {
      System.err.println(c.name() + ": cannot start: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.log(System.Logger.Level.INFO, "{0}: stopping", c.name());
      try {
        node.stop().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "{0}: unclean stop: {1}", c.name(), e.getMessage());
      }
    }, "tandem-shutdown"));
    // Joining may take a while (no balancer up yet): the node's own thread keeps the JVM alive.
    node.start();
    return RunCommand.KEEP_RUNNING;
  }
}
