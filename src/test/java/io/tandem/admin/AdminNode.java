package io.tandem.admin;

import io.tandem.testing.TestNode;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One balancer with two demo backends (learn-mode stickiness) on its own Vert.x, started before a
 * test class's first test and stopped after its last. Register it as a static
 * {@code @RegisterExtension} field.
 */
final class AdminNode implements BeforeAllCallback, AfterAllCallback {
  private Vertx vertx;
  private TestNode node;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    vertx = Vertx.vertx();
    node = TestNode.builder(vertx).backends(2).sticky("{mode: learn}").start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    node.close();
    vertx.close().await();
  }

  /** A URL on the admin listener. */
  String admin(String path) {
    return "http://127.0.0.1:" + node.adminPort() + path;
  }

  /** The first proxy listener's port. */
  int port() {
    return node.port();
  }
}
