package io.tandem.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code tandemctl sessions}: sticky bindings counted per backend (every configured backend, 0 when
 * none), or one user's binding looked up by cookie value or table key.
 */
@Command(name = "sessions", description = {"Sticky sessions: counts per backend, or one binding.",
    "--cookie takes the user's session cookie value; --key the raw table key."})
final class SessionsCommand extends CtlCommand {
  @Option(names = "--backend", paramLabel = "ID", description = "Count only this backend's sessions.")
  String backend;

  @ArgGroup(exclusive = true)
  Lookup lookup;

  @Option(names = "--json", description = "Print JSON for scripts.")
  boolean json;

  static final class Lookup {
    @Option(names = "--cookie", paramLabel = "VALUE", required = true, description = "Look up the binding of this cookie value.")
    String cookie;

    @Option(names = "--key", paramLabel = "KEY", required = true, description = "Look up the binding of this table key.")
    String key;
  }

  @Override
  int run(AdminClient admin, PrintWriter out) {
    if (lookup != null) {
      if (backend != null) {
        throw new ParameterException(spec.commandLine(), "--backend counts sessions; it does not combine with --cookie or --key");
      }
      return binding(admin, out);
    }
    return counts(admin, out);
  }

  private int binding(AdminClient admin, PrintWriter out) {
    String query = lookup.cookie != null ? "cookie=" + AdminClient.encode(lookup.cookie) : "key=" + AdminClient.encode(lookup.key);
    JsonObject b = admin.get("/api/sessions?" + query);
    JsonObject stable = new JsonObject()
        .put("key", Fields.str(b, "key"))
        .put("backend", Fields.str(b, "backend"))
        .put("version", Fields.num(b, "version"))
        .put("last_seen_ms", Fields.num(b, "last_seen_ms"));
    if (json) {
      out.println(stable.encodePrettily());
      return 0;
    }
    Long seen = Fields.num(b, "last_seen_ms");
    long now = ctl.clock().millis();
    new TextTable("key", stable.getString("key"))
        .row("backend", stable.getString("backend"))
        .row("version", stable.getLong("version"))
        .row("last seen", seen == null ? null : Instant.ofEpochMilli(seen) + " (" + TextTable.ago(Math.max(0, now - seen)) + ")")
        .print(out);
    return 0;
  }

  private int counts(AdminClient admin, PrintWriter out) {
    List<BackendRow> backends = BackendsCommand.fetch(admin);
    if (backend != null && backends.stream().noneMatch(r -> backend.equals(r.id()))) {
      throw CtlException.refused("no backend with id '" + backend + "' (" + admin.base() + ")");
    }
    JsonObject c = admin.get("/api/sessions" + (backend == null ? "" : "?backend=" + AdminClient.encode(backend)));
    Map<String, Long> by = new LinkedHashMap<>();
    for (BackendRow r : backends) {
      if (backend == null || backend.equals(r.id())) {
        by.put(r.id(), 0L);
      }
    }
    // A binding may still name a backend that a reload removed: shown too.
    JsonObject given = Fields.obj(c, "by_backend");
    if (given != null) {
      given.forEach(e -> {
        if (e.getValue() instanceof Number n) {
          by.put(e.getKey(), n.longValue());
        }
      });
    }
    Long total = Fields.num(c, "total");
    if (json) {
      JsonObject o = new JsonObject();
      by.forEach(o::put);
      out.println(new JsonObject().put("total", total).put("by_backend", o).encodePrettily());
      return 0;
    }
    TextTable t = new TextTable("BACKEND", "SESSIONS");
    by.forEach(t::row);
    t.print(out);
    out.println("total " + total + (backend == null ? "" : " (all backends)"));
    return 0;
  }
}
