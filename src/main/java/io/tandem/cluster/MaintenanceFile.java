package io.tandem.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Whether the node is in maintenance, kept in {@code <node.state-dir>/<name>.maintenance} so that it
 * survives a restart: the file exists while maintenance is on (its content, the time it was turned
 * on, is for people). Written atomically (temp file, then rename). Blocking: call from a worker.
 */
public final class MaintenanceFile {
  private final Path file;

  public MaintenanceFile(Path stateDir, String node) {
    this.file = stateDir.resolve(node + ".maintenance");
  }

  public Path path() {
    return file;
  }

  /** True when maintenance was left on; an unreadable directory counts as off (and says so). */
  public boolean read() {
    return Files.isRegularFile(file);
  }

  public void write(boolean on) throws IOException {
    if (!on) {
      try {
        Files.delete(file);
      } catch (NoSuchFileException e) {
        // Already off.
      }
      return;
    }
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, "maintenance on since " + java.time.Instant.now() + "\n", StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
