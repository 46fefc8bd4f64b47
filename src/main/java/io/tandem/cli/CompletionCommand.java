package io.tandem.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandemctl completion}: prints the bash (and zsh) completion script; {@code source <(tandemctl completion)}. */
@Command(name = "completion", hidden = true, description = "Print the bash completion script.")
final class CompletionCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(AutoComplete.bash("tandemctl", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
