package io.tandem.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The template of every subcommand that talks to the node: it builds the client from the global
 * options and turns a {@link CtlException} into its line on stderr and its exit code, so the codes
 * hold however the {@code CommandLine} was built. Each command fills in {@link #run}.
 */
abstract class CtlCommand implements Callable<Integer> {
  @ParentCommand
  Tandemctl ctl;

  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      return run(ctl.client(spec), out);
    } catch (ParameterException e) {
      throw e;
    } catch (CtlException e) {
      spec.commandLine().getErr().println("tandemctl: " + e.getMessage());
      return e.code();
    } catch (RuntimeException e) {
      // A server answer of an unexpected shape, say: a reason, not a stack trace.
      spec.commandLine().getErr().println("tandemctl: " + spec.name() + " failed: " + e);
      return CtlException.REFUSED;
    } finally {
      out.flush();
    }
  }

  /** Does the work and returns the exit code (0); throws {@link CtlException} to refuse. */
  abstract int run(AdminClient admin, PrintWriter out);
}
