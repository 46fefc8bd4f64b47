package io.tandem.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BackendConnectionsTest {
  final Vertx vertx = Vertx.vertx();
  final Set<Object> backendConnections = ConcurrentHashMap.newKeySet();
  final Context ctx = vertx.getOrCreateContext();
  HttpServer backend;
  SocketAddress address;
  HttpClientAgent client;
  BackendConnections connections;

  @BeforeEach
  void setUp() throws Exception {
    backend = vertx.createHttpServer().connectionHandler(backendConnections::add)
        .requestHandler(req -> req.response().end("ok")).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    address = SocketAddress.inetSocketAddress(backend.actualPort(), "127.0.0.1");
    client = vertx.createHttpClient(new HttpClientOptions());
    connections = onContext(() -> new BackendConnections(vertx, client, 2, 1000, 60_000));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  /** Runs {@code action} on the one event-loop context the set belongs to, as the proxy does. */
  <T> T onContext(Callable<T> action) throws Exception {
    return Future.<T>future(p -> ctx.runOnContext(v -> {
      try {
        p.complete(action.call());
      } catch (Exception e) {
        p.fail(e);
      }
    })).await(5, TimeUnit.SECONDS);
  }

  /** One request through a lease; gives the lease back after a clean end when {@code release}. */
  String get(String path, boolean release) throws Exception {
    return Future.<String>future(p -> ctx.runOnContext(v -> {
      BackendConnections.Lease l = connections.acquire("web1", false, address);
      l.request(new RequestOptions().setURI(path).setHost("127.0.0.1").setPort(address.port()))
          .compose(r -> r.send())
          .compose(HttpClientResponse::body)
          .onSuccess(b -> {
            if (release) {
              l.release();
            }
            p.complete(b.toString());
          })
          .onFailure(p::fail);
    })).await(5, TimeUnit.SECONDS);
  }

  @Test
  void reusesAConnectionGivenBackAfterACleanEnd() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(get("/", true)).isEqualTo("ok");
    }
    assertThat(backendConnections).hasSize(1);
  }

  @Test
  void neverHandsOutAConnectionThatWasNotGivenBack() throws Exception {
    assertThat(get("/", false)).isEqualTo("ok");
    assertThat(get("/", true)).isEqualTo("ok");
    assertThat(backendConnections).hasSize(2);
  }

  @Test
  void goesToTheSharedPoolBeyondTheLimit() throws Exception {
    get("/", false);
    get("/", false);
    BackendConnections.Lease third = onContext(() -> connections.acquire("web1", false, address));
    assertThat(third).isNull();
  }
}
