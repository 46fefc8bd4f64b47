package io.tandem.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandemctl status [--json]}: the pair at a glance, as seen by the node asked. */
@Command(name = "status", description = {"The pair at a glance: this node, the members, backends, sticky entries "
    + "and replication.", "--json prints the stable schema documented in the README (\"schema\": 1)."})
final class StatusCommand extends CtlCommand {
  @Option(names = "--json", description = "Print JSON for scripts.")
  boolean json;

  @Override
  int run(AdminClient admin, PrintWriter out) {
    PairStatus s = PairStatus.from(admin.get("/api/status"));
    if (json) {
      out.println(s.toJson().encodePrettily());
    } else {
      print(s, out);
    }
    return 0;
  }

  private static void print(PairStatus s, PrintWriter out) {
    StringBuilder state = new StringBuilder(String.valueOf(s.state()));
    if (s.epoch() != null && !"SINGLE".equals(s.state())) {
      state.append(", epoch ").append(s.epoch());
    }
    state.append(", priority ").append(s.priority());
    if (s.healthy() != null) {
      state.append(s.healthy() ? ", healthy" : ", UNHEALTHY");
    }
    if (s.inSync() != null && !"SINGLE".equals(s.state())) {
      state.append(s.inSync() ? ", in sync" : ", NOT in sync");
    }
    if (Boolean.TRUE.equals(s.maintenance())) {
      state.append(", IN MAINTENANCE");
    }
    TextTable head = new TextTable("node", s.node() + "  (pid " + s.pid() + ", tandem " + s.version() + ")");
    head.row("state", state);
    if (s.reason() != null && !s.reason().isBlank()) {
      head.row("reason", s.reason());
    }
    head.row("vip", s.vip() == null ? "none"
        : s.vip() + " (" + s.vipDriver() + "): " + (Boolean.TRUE.equals(s.vipHeld()) ? "held here"
            : s.vipHolder() != null ? "held by " + s.vipHolder() : "not held here"));
    head.row("sticky", s.stickyEntries() + " entries");
    head.row("replication", s.replication() == null ? "none (single node)" : replication(s.replication()));
    head.print(out);

    out.println();
    if (s.members().isEmpty()) {
      out.println("MEMBERS: none (a single node, no cluster)");
    } else {
      TextTable m = new TextTable("MEMBER", "STATE", "PRIORITY", "EPOCH", "HEALTHY", "IN-SYNC", "MAINT", "VIP",
          "LAST HEARD");
      for (PairStatus.Member x : s.members()) {
        m.row(x.name(), x.state(), x.priority(), x.epoch(), TextTable.yesNo(x.healthy()), TextTable.yesNo(x.inSync()),
            Boolean.TRUE.equals(x.maintenance()) ? "yes" : "-", Boolean.TRUE.equals(x.vipHeld()) ? "held" : "-",
            x.self() ? "(this node)" : x.lastHeardMs() == null ? null : TextTable.ago(x.lastHeardMs()));
      }
      m.print(out);
    }

    out.println();
    TextTable b = new TextTable("BACKEND", "STATE", "ADMIN", "IN-FLIGHT");
    s.backends().forEach(x -> b.row(x.id(), x.state(), x.adminState(), x.inFlight()));
    b.print(out);
  }

  private static String replication(PairStatus.Replication r) {
    return "last lag " + (r.lastLagMs() == null ? "- (nothing received yet)" : r.lastLagMs() + " ms")
        + "; sent " + TextTable.bytes(r.bytesSent()) + ", received " + TextTable.bytes(r.bytesReceived())
        + "; " + r.sequenceGaps() + " sequence gaps";
  }
}
