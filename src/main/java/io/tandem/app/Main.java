package io.tandem.app;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tandem}: the node's command line. Exit codes: 0 ok, 1 failed, 2 bad config or arguments. */
@Command(name = "tandem", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "A redundant HTTP load-balancer pair.",
    subcommands = {RunCommand.class, WitnessCommand.class, CheckCommand.class, DemoCommand.class, DemoBackendCommand.class, KeygenCommand.class, LoadgenCommand.class,
        Main.VersionCommand.class})
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    Logging.configure();
    CommandLine cli = new CommandLine(new Main());
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("tandem: " + ex.getMessage());
      ex.getCommandLine().usage(ex.getCommandLine().getErr());
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("tandem: " + ex.getMessage());
      return 1;
    });
    int code = cli.execute(args);
    if (code != RunCommand.KEEP_RUNNING) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.err);
    return 2;
  }

  @Command(name = "version", description = "Print the version.")
  static final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.println("tandem " + Version.text());
      return 0;
    }
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"tandem " + Version.text()};
    }
  }
}
