package io.tandem.app;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that starts this same program again (same java, same jar or classpath). */
final class SelfCommand {
  private SelfCommand() {}

  static List<String> java() {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC",
        // Huge pages for the heap: a killed node frees its memory before its sockets close, and
        // that is when its peer learns of the crash.
        "-XX:+UseTransparentHugePages"));
    try {
      Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (self.toString().endsWith(".jar")) {
        cmd.addAll(List.of("-jar", self.toString()));
      } else {
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
      }
    } catch (URISyntaxException e) {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    }
    return cmd;
  }
}
