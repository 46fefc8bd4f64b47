package io.tandem.config;

import java.util.List;

/** Every problem found in one config file, each already in the {@code key: value (expected: ...)} shape. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> errors;

  public ConfigException(String source, List<String> errors) {
    super(source + ": " + errors.size() + " error(s)\n  " + String.join("\n  ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
