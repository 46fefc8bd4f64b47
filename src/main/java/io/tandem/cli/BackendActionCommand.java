package io.tandem.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code drain|enable|maint ID}: sets a backend's operator state on the node asked and prints the
 * backend as it is now. An unknown ID is refused with the node's reason (exit 1).
 */
abstract class BackendActionCommand extends CtlCommand {
  @Parameters(paramLabel = "ID", description = "The backend's id (see: tandemctl backends).")
  String id;

  abstract String action();

  /** What the new state means for users, in one line. */
  abstract String meaning();

  @Override
  int run(AdminClient admin, PrintWriter out) {
    BackendRow b = BackendRow.from(admin.post("/api/backends/" + AdminClient.encode(id).replace("+", "%20") + "/" + action()));
    out.println(b.id() + ": " + b.state() + " (admin " + b.adminState() + ", " + b.inFlight() + " in flight): " + meaning());
    return 0;
  }

  @Command(name = "drain", description = "Drain a backend for a deploy: its sticky users stay, new users go elsewhere.")
  static final class Drain extends BackendActionCommand {
    @Override
    String action() {
      return "drain";
    }

    @Override
    String meaning() {
      return "its sticky users stay, new users go elsewhere";
    }
  }

  @Command(name = "enable", description = "Put a backend back in service.")
  static final class Enable extends BackendActionCommand {
    @Override
    String action() {
      return "enable";
    }

    @Override
    String meaning() {
      return "back in service (new users once healthy)";
    }
  }

  @Command(name = "maint", description = "Take a backend out at once: its users are re-bound elsewhere.")
  static final class Maint extends BackendActionCommand {
    @Override
    String action() {
      return "maint";
    }

    @Override
    String meaning() {
      return "out of service, its users are re-bound elsewhere on their next request";
    }
  }
}
