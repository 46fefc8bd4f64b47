package io.tandem.cli;

import io.tandem.config.Durations;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandemctl failover [--to NODE] [--timeout 10s]}: the planned handoff. The MASTER drains
 * (responses close their connections, in-flight requests finish) and the target takes the VIP; the
 * command waits until the new MASTER holds it. Asked of any node: the node asked finds the MASTER.
 */
@Command(name = "failover", description = {"Move the active role on purpose: the MASTER drains, then --to NODE (default: "
    + "the best other member) takes the VIP.", "Waits until the new MASTER holds the VIP (--timeout, default 10s) and "
        + "prints who holds it and how long the handoff took.",
    "Refused, with the reason, when the target is not a reachable, healthy, in-sync member out of maintenance."})
final class FailoverCommand extends CtlCommand {
  static final Duration DEFAULT_HANDOFF = Duration.ofSeconds(10);
  /** What the client waits beyond the handoff's own bound: the node answers at the latest then. */
  static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);

  @Option(names = "--to", paramLabel = "NODE", description = "The member to hand over to (default: the best other one).")
  String to;

  @Option(names = "--json", description = "Print the answer as JSON: node, from, holder, epoch, took_ms.")
  boolean json;

  @Override
  int run(AdminClient admin, PrintWriter out) {
    Duration handoff = handoffTimeout(ctl);
    String path = "/api/failover?timeout=" + Durations.format(handoff)
        + (to == null ? "" : "&to=" + AdminClient.encode(to));
    JsonObject r = admin.post(path, handoff.plus(ANSWER_MARGIN));
    if (json) {
      out.println(r.encodePrettily());
    } else {
      out.println(Fields.str(r, "holder") + " holds the VIP now (epoch " + Fields.num(r, "epoch") + "): handed over from "
          + Fields.str(r, "from") + " in " + Fields.num(r, "took_ms") + " ms");
    }
    return 0;
  }

  static Duration handoffTimeout(Tandemctl ctl) {
    return ctl.timeoutGiven() ? ctl.timeout : DEFAULT_HANDOFF;
  }
}
