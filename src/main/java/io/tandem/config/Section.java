package io.tandem.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One YAML mapping at a key path. Each getter validates its value and records a message in the
 * shared error list instead of throwing, so a file reports all its problems at once; {@link
 * #finish()} then reports the keys nobody asked for (a typo must not pass silently).
 */
final class Section {
  /** The longest duration any key takes: longer is a typo, and timers must not overflow. */
  static final Duration MAX_DURATION = Duration.ofDays(365);
  private static final String ADDRESS_RULE = "an IP address and port such as 0.0.0.0:80 or [::1]:80";

  private final String path;
  private final JsonNode node;
  private final List<String> errors;
  private final Set<String> known = new LinkedHashSet<>();
  private final Set<String> failed = new HashSet<>();

  Section(String path, JsonNode node, List<String> errors) {
    this.path = path;
    this.node = node;
    this.errors = errors;
  }

  String path() {
    return path;
  }

  String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  void error(String key, Object shown, String expected) {
    failed.add(key);
    errors.add(keyPath(key) + ": " + shown + " (expected: " + expected + ")");
  }

  /** Whether none of these keys has been reported; a rule across keys only runs on valid values. */
  boolean valid(String... keys) {
    for (String k : keys) {
      if (failed.contains(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks a rule that spans several keys; the message names the first. It is skipped when one of
   * the keys already has an error, so one mistake yields one message.
   */
  void check(boolean ok, String key, Object shown, String expected, String... others) {
    if (!ok && valid(key) && valid(others)) {
      error(key, shown, expected);
    }
  }

  private JsonNode raw(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  /** The number of items of a list value (0 when absent or not a list). */
  int listSize(String key) {
    JsonNode v = node.get(key);
    return v != null && v.isArray() ? v.size() : 0;
  }

  boolean has(String key) {
    return raw(key) != null;
  }

  /** Reports the key if it is present at all: it has no place here, {@code expected} says why. */
  void refuse(String key, String expected) {
    // Not marked known: the list of expected keys that finish() prints must not offer it.
    JsonNode v = node.get(key);
    if (v != null && !v.isNull()) {
      error(key, v.isContainerNode() ? "present" : show(v), expected);
    }
  }

  /** Whether the key holds a list with no items (a list of bad items is reported item by item). */
  boolean isEmptyList(String key) {
    JsonNode v = raw(key);
    return v != null && v.isArray() && v.isEmpty();
  }

  static String show(JsonNode v) {
    if (v == null) {
      return "missing";
    }
    return v.isTextual() ? '"' + v.asText().replace("\"", "\\\"") + '"' : v.toString();
  }

  /** A scalar converted by {@code parse}; a throw from it becomes the error with {@code expected}. */
  <T> T value(String key, T def, String expected, Function<String, T> parse) {
    JsonNode v = raw(key);
    if (v == null) {
      if (def == null) {
        error(key, "missing", expected);
      }
      return def;
    }
    if (!v.isValueNode()) {
      error(key, show(v), expected);
      return def;
    }
    try {
      T t = parse.apply(v.asText());
      if (t == null) {
        throw new IllegalArgumentException();
      }
      return t;
    } catch (RuntimeException e) {
      error(key, show(v), expected);
      return def;
    }
  }

  String string(String key, String def, String expected) {
    return value(key, def, expected, s -> s.isEmpty() ? null : s);
  }

  int integer(String key, int def, int min, int max) {
    return (int) longValue(key, def, min, max);
  }

  /** A whole number in [min, max]; a quoted one ({@code "12"}, as templates often write) is taken too. */
  long longValue(String key, long def, long min, long max) {
    JsonNode v = raw(key);
    if (v == null) {
      return def;
    }
    Long n = wholeNumber(v);
    if (n == null || n < min || n > max) {
      error(key, show(v), min + "-" + max);
      return def;
    }
    return n;
  }

  private static Long wholeNumber(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? v.asLong() : null;
    }
    if (v.isTextual() && v.asText().trim().matches("[+-]?\\d{1,18}")) {
      return Long.parseLong(v.asText().trim());
    }
    return null;
  }

  boolean bool(String key, boolean def) {
    JsonNode v = raw(key);
    if (v == null) {
      return def;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
      return v.asText().equals("true");
    }
    error(key, show(v), "true or false");
    return def;
  }

  Duration duration(String key, Duration def, Duration min) {
    Duration d = value(key, def, "a duration such as 250ms, 2s, 30m", Durations::parse);
    if (d != null && min != null && d.compareTo(min) < 0) {
      error(key, Durations.format(d), ">= " + Durations.format(min));
      return def;
    }
    if (d != null && d.compareTo(MAX_DURATION) > 0) {
      error(key, Durations.format(d), "<= " + Durations.format(MAX_DURATION));
      return def;
    }
    return d;
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type, E def) {
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return value(key, def, String.join(" | ", names),
        s -> Enum.valueOf(type, s.toUpperCase(Locale.ROOT).replace('-', '_')));
  }

  /** An address to bind: an IP literal (never a name to look up) and a port 0-65535. */
  HostPort address(String key, HostPort def) {
    return value(key, def, ADDRESS_RULE, v -> {
      HostPort hp = HostPort.parse(v);
      return hp.ip() == null ? null : hp;
    });
  }

  Optional<Section> section(String key) {
    JsonNode v = raw(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      error(key, show(v), "a mapping");
      return Optional.empty();
    }
    return Optional.of(new Section(keyPath(key), v, errors));
  }

  /**
   * An absent mapping reads as an empty one, so its defaults apply. One that is not a mapping has
   * been reported already; it reads as empty too, and its own missing keys are not reported again.
   */
  Section sectionOrEmpty(String key) {
    boolean present = has(key);
    return section(key).orElseGet(() -> new Section(keyPath(key),
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
        present ? new ArrayList<>() : errors));
  }

  List<Section> sections(String key, boolean required) {
    JsonNode v = raw(key);
    List<Section> out = new ArrayList<>();
    if (v == null) {
      if (required) {
        error(key, "missing", "a list of mappings");
      }
      return out;
    }
    if (!v.isArray()) {
      error(key, show(v), "a list of mappings");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      String p = keyPath(key) + "[" + i + "]";
      if (!item.isObject()) {
        errors.add(p + ": " + show(item) + " (expected: a mapping)");
        continue;
      }
      out.add(new Section(p, item, errors));
    }
    return out;
  }

  /** A list of scalars, each converted by {@code parse}; bad items are reported by index. */
  <T> List<T> list(String key, String expected, Function<String, T> parse) {
    JsonNode v = raw(key);
    List<T> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      error(key, show(v), "a list");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      String p = keyPath(key) + "[" + i + "]";
      try {
        if (!item.isValueNode()) {
          throw new IllegalArgumentException();
        }
        out.add(parse.apply(item.asText()));
      } catch (RuntimeException e) {
        errors.add(p + ": " + show(item) + " (expected: " + expected + ")");
      }
    }
    return out;
  }

  /** Reports every key of this mapping that no getter asked for. */
  void finish() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k) && !failed.contains(k)) {
        errors.add(keyPath(k) + ": unknown key (expected: one of " + String.join(", ", known) + ")");
      }
    }
  }
}
