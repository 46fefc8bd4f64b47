package io.tandem.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code drain|enable|maint ID}: sets a backend's operator state on the node asked and prints the
 * backend as it is now. An unknown ID is refused with the node's reason (exit 1). Each subcommand
 * is only its name, help and the one line that says what the new state means for users.
 */
abstract class BackendActionCommand extends CtlCommand {
  @Parameters(paramLabel = "ID", description = "The backend's id (see: tandemctl backends).")
  String id;

  private final String action;
  private final String meaning;

  /** {@code action}: the admin API's (drain, enable or maint); {@code meaning}: for users, in one line. */
  BackendActionCommand(String action, String meaning) {
    this.action = action;
    this.meaning = meaning;
  }

  @Override
  int run(AdminClient admin, PrintWriter out) {
    BackendRow b = BackendRow.from(admin.post("/api/backends/" + AdminClient.encode(id).replace("+", "%20") + "/" + action));
    out.println(b.id() + ": " + b.state() + " (admin " + b.adminState() + ", " + b.inFlight() + " in flight): " + meaning);
    return 0;
  }

  @Command(name = "drain", description = "Drain a backend for a deploy: its sticky users stay, new users go elsewhere.")
  static final class Drain extends BackendActionCommand {
    Drain() {
      super("drain", "its sticky users stay, new users go elsewhere");
    }
  }

  @Command(name = "enable", description = "Put a backend back in service.")
  static final class Enable extends BackendActionCommand {
    Enable() {
      super("enable", "back in service (new users once healthy)");
    }
  }

  @Command(name = "maint", description = "Take a backend out at once: its users are re-bound elsewhere.")
  static final class Maint extends BackendActionCommand {
    Maint() {
      super("maint", "out of service, its users are re-bound elsewhere on their next request");
    }
  }
}
