package io.tandem.app;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

/**
 * The Vert.x options every Tandem process starts from. Vert.x's file resolver would look up
 * relative paths on the class path and, to do that, create a {@code vertx-cache-<uuid>} directory
 * in the temporary directory at start, removed only by a clean close or the JVM's shutdown hook.
 * Tandem never reads files from its class path through Vert.x (relative paths still resolve against
 * the working directory with the resolver off), and its nodes do get killed outright (SIGKILL by an
 * operator, the OOM killer, the failover drills): each such kill left a directory behind, 515 of
 * them in /tmp on the development machine after two days of drills. So the resolver is off.
 */
final class VertxSetup {
  private VertxSetup() {}

  /** Options with class-path resolving and its cache off; the caller adds its own settings. */
  static VertxOptions options() {
    return new VertxOptions().setFileSystemOptions(
        new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false));
  }

  /** A Vertx with default settings but for the file resolver (the demo's backends, loadgen). */
  static Vertx plain() {
    return Vertx.vertx(options());
  }
}
