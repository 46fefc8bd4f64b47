package io.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VertxSetupTest {
  @TempDir Path tmp;

  private long cacheDirs(Path in) throws Exception {
    try (Stream<Path> s = Files.list(in)) {
      return s.filter(p -> p.getFileName().toString().startsWith("vertx-cache-")).count();
    }
  }

  /**
   * What a node killed with SIGKILL would leave behind: the directory made at start. Vert.x names it
   * {@code <fileCacheDir>-<uuid>}, so the cache is pointed at {@code <cacheBase>/vertx-cache}, as the
   * default points it at {@code /tmp/vertx-cache}.
   */
  private long cacheDirsWhileRunning(VertxOptions options, Path cacheBase) throws Exception {
    options.getFileSystemOptions().setFileCacheDir(cacheBase.resolve("vertx-cache").toString());
    Vertx vertx = Vertx.vertx(options);
    try {
      return cacheDirs(cacheBase);
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTandemVertxMakesNoCacheDirectoryThatAKillWouldLeaveBehind() throws Exception {
    Path ours = Files.createDirectory(tmp.resolve("ours"));
    Path stock = Files.createDirectory(tmp.resolve("stock"));

    assertThat(cacheDirsWhileRunning(VertxSetup.options(), ours)).isZero();
    // The control: Vert.x's defaults do make one, so the check above can see it.
    assertThat(cacheDirsWhileRunning(new VertxOptions(), stock)).isEqualTo(1);
  }

  @Test
  void filesByAbsolutePathStillWork() throws Exception {
    Vertx vertx = VertxSetup.plain();
    try {
      Path f = tmp.resolve("ready");
      vertx.fileSystem().writeFile(f.toString(), Buffer.buffer("42\n")).await(5, TimeUnit.SECONDS);
      assertThat(vertx.fileSystem().exists(f.toString()).await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(vertx.fileSystem().readFile(f.toString()).await(5, TimeUnit.SECONDS).toString()).isEqualTo("42\n");
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }
}
