package io.tandem.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandemctl backends [--json]}: every backend with its state, operator state and in-flight requests. */
@Command(name = "backends", description = "Every backend: state (UP, DOWN, DRAIN, MAINT), admin state, health, in-flight.")
final class BackendsCommand extends CtlCommand {
  @Option(names = "--json", description = "Print JSON for scripts: {\"backends\": [..]}.")
  boolean json;

  @Override
  int run(AdminClient admin, PrintWriter out) {
    List<BackendRow> rows = fetch(admin);
    if (json) {
      JsonArray a = new JsonArray();
      rows.forEach(r -> a.add(r.toJson()));
      out.println(new JsonObject().put("backends", a).encodePrettily());
    } else {
      TextTable t = BackendRow.table();
      rows.forEach(r -> r.addTo(t));
      t.print(out);
    }
    return 0;
  }

  static List<BackendRow> fetch(AdminClient admin) {
    return Fields.list(admin.get("/api/backends"), "backends", BackendRow::from);
  }
}
