package io.tandem.cli;

import io.tandem.config.Durations;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tandemctl maintenance on|off [--node NODE]}: a node in maintenance gives up MASTER by a
 * planned handoff and is not elected until it is turned off; it stays so across restarts.
 */
@Command(name = "maintenance", description = {"Put a node in maintenance (on) or back in service (off).",
    "on: the node hands the VIP over first if it is MASTER (as failover does) and is not elected until off, "
        + "also after a restart.", "--node NODE: another member (default: the node asked)."})
final class MaintenanceCommand extends CtlCommand {
  /** Lower case, as typed; completion offers them. */
  enum Switch { on, off }

  @Parameters(paramLabel = "on|off", description = "on or off.")
  Switch state;

  @Option(names = "--node", paramLabel = "NODE", description = "The member to change (default: the node asked).")
  String node;

  @Option(names = "--json", description = "Print the answer as JSON: node, maintenance, holder, from, epoch, took_ms.")
  boolean json;

  @Override
  int run(AdminClient admin, PrintWriter out) {
    Duration handoff = FailoverCommand.handoffTimeout(ctl);
    String path = "/api/maintenance/" + state + "?timeout=" + Durations.format(handoff)
        + (node == null ? "" : "&node=" + AdminClient.encode(node));
    JsonObject r = admin.post(path, handoff.plus(FailoverCommand.ANSWER_MARGIN));
    if (json) {
      out.println(r.encodePrettily());
      return 0;
    }
    String who = Fields.str(r, "node");
    if (state == Switch.off) {
      out.println(who + ": maintenance off: it may be elected again");
    } else if (Fields.str(r, "from") != null) {
      out.println(who + ": maintenance on: handed the VIP over to " + Fields.str(r, "holder") + " in "
          + Fields.num(r, "took_ms") + " ms; not elected until maintenance off");
    } else {
      out.println(who + ": maintenance on: not elected until maintenance off"
          + (Fields.str(r, "holder") == null ? "" : " (the VIP is held by " + Fields.str(r, "holder") + ")"));
    }
    return 0;
  }
}
