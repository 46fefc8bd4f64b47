package io.tandem.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Lenient reads of the server's JSON: a missing or mistyped field is null, never an exception. */
final class Fields {
  private Fields() {}

  static String str(JsonObject o, String key) {
    return o != null && o.getValue(key) instanceof String s ? s : null;
  }

  static Long num(JsonObject o, String key) {
    return o != null && o.getValue(key) instanceof Number n ? n.longValue() : null;
  }

  static Boolean bool(JsonObject o, String key) {
    return o != null && o.getValue(key) instanceof Boolean b ? b : null;
  }

  static JsonObject obj(JsonObject o, String key) {
    return o != null && o.getValue(key) instanceof JsonObject j ? j : null;
  }

  static <T> List<T> list(JsonObject o, String key, Function<JsonObject, T> each) {
    List<T> out = new ArrayList<>();
    if (o != null && o.getValue(key) instanceof JsonArray a) {
      for (Object e : a) {
        if (e instanceof JsonObject j) {
          out.add(each.apply(j));
        }
      }
    }
    return List.copyOf(out);
  }
}
