package io.tandem.cluster;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For channel tests: before each test a new cluster key in a temporary folder and a {@link
 * TestCluster} of three loopback channels on it; after it, every channel closed.
 */
abstract class ChannelFixture {
  @TempDir Path dir;
  TestCluster cluster;

  @BeforeEach
  void newCluster() throws Exception {
    Path key = dir.resolve("cluster.key");
    ClusterKey.generate(key);
    cluster = new TestCluster(key, 3);
  }

  @AfterEach
  void closeCluster() {
    cluster.close();
  }
}
