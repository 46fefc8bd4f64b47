package io.tandem.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs tandemctl in-process, as {@code main} wires it, with an injected environment and the admin
 * URL and token file given as options, and captures what it prints.
 */
final class Ctl {
  private final Map<String, String> env;
  private final List<String> globals;

  private Ctl(Map<String, String> env, List<String> globals) {
    this.env = env;
    this.globals = globals;
  }

  /** Against a node's admin port, with the token from a file. */
  static Ctl of(int adminPort, String tokenFile) {
    return new Ctl(Map.of(), List.of("--admin", "http://127.0.0.1:" + adminPort, "--token-file", tokenFile));
  }

  /** With only this environment (no options added). */
  static Ctl withEnv(Map<String, String> env) {
    return new Ctl(env, List.of());
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(globals);
    all.addAll(List.of(args));
    int code = Tandemctl.commandLine(new Tandemctl(env, Clock.systemUTC()))
        .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
