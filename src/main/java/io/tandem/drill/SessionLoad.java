package io.tandem.drill;

import io.tandem.http.OneShotExchange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Many users, each logged in once on the demo backend through the balancer, each calling
 * {@code /counter} in a loop and checking that its count goes up by one every time. A 401 means the
 * session was lost: the user logs in again and is counted as re-bound. Bounded by a duration and a
 * request budget; stops by itself.
 */
public final class SessionLoad {
  private final Vertx vertx;
  private final String host;
  private final int port;
  private final int users;
  private final Duration duration;
  private final long maxRequests;
  private final Duration think;
  private final Duration timeout;
  private final HttpClient client;
  private final List<User> all = new ArrayList<>();
  private NewVisitorProbe probe;
  private long requests;
  private long failed;
  private final java.util.Map<String, Integer> failures = new java.util.TreeMap<>();
  private long lastGood;
  private long maxGap;
  private long maxGapStart;
  private long startedAt;
  private long deadline;
  private java.nio.file.Path markFile;
  private java.nio.file.Path stopFile;
  private java.nio.file.Path readyFile;
  private long firstAfterMark = -1;

  public SessionLoad(Vertx vertx, String host, int port, int users, Duration duration, long maxRequests,
      Duration think, Duration timeout) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.users = users;
    this.duration = duration;
    this.maxRequests = maxRequests;
    this.think = think;
    this.timeout = timeout;
    // One connection per user, closed after each answer: a failover must be seen by new
    // connections, as browsers arriving after it would.
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setConnectTimeout((int) timeout.toMillis()), new PoolOptions().setHttp1MaxSize(users * 2));
  }

  /**
   * A file the drill writes the moment it strikes (its content: that time in epoch ms). The load
   * then reports the time from that moment to the first good answer to a request sent after it,
   * the way a new visitor would see the failover.
   */
  public SessionLoad markFile(java.nio.file.Path file) {
    this.markFile = file;
    return this;
  }

  /**
   * A file whose appearance ends the load early (its report as at the end of the duration), for
   * drills whose length is not known in advance (an Ansible rolling upgrade).
   */
  public SessionLoad stopFile(java.nio.file.Path file) {
    this.stopFile = file;
    return this;
  }

  /**
   * A file the load writes once every user has logged in and the load runs: a drill waits for it
   * before it strikes (on a busy machine the load's start-up alone can take seconds).
   */
  public SessionLoad readyFile(java.nio.file.Path file) {
    this.readyFile = file;
    return this;
  }

  private void watchStop() {
    if (stopFile == null) {
      return;
    }
    vertx.fileSystem().exists(stopFile.toString()).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        deadline = Math.min(deadline, System.currentTimeMillis());
      } else if (System.currentTimeMillis() < deadline) {
        vertx.setTimer(50, t -> watchStop());
      }
    });
  }

  /** The drill's mark (epoch ms), as the probe read it; -1 before that, or without a mark file. */
  private long mark() {
    return probe == null ? -1 : probe.mark();
  }

  /** From the mark to {@code firstGood} (to {@code end} when none came); -1 without a mark. */
  private long recovery(long firstGood, long end) {
    long mark = mark();
    return mark < 0 ? -1 : firstGood < 0 ? end - mark : firstGood - mark;
  }

  /** Runs on a Vert.x context: logs every user in, then loads until the duration or budget runs out. */
  public Future<DrillReport> run() {
    Promise<DrillReport> done = Promise.promise();
    vertx.runOnContext(v -> {
      List<Future<Void>> logins = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        User u = new User();
        all.add(u);
        logins.add(login(u, 20));
      }
      Future.all(logins).onComplete(ar -> {
        if (ar.failed()) {
          done.fail("login failed: " + ar.cause().getMessage());
          return;
        }
        startedAt = System.currentTimeMillis();
        lastGood = startedAt;
        deadline = startedAt + duration.toMillis();
        watchStop();
        if (readyFile != null) {
          vertx.fileSystem().writeFile(readyFile.toString(), io.vertx.core.buffer.Buffer.buffer(startedAt + "\n"));
        }
        // The anchor's method beside the users: new visitors, whatever the users are stuck in (a
        // user waits out its timeout on a frozen holder; a new visitor does not).
        probe = markFile == null ? null : new NewVisitorProbe(host, port, markFile);
        Future<String> probeDeployed = probe == null ? Future.succeededFuture() : vertx.deployVerticle(probe);
        List<Future<Void>> loops = new ArrayList<>();
        for (User u : all) {
          Promise<Void> p = Promise.promise();
          loops.add(p.future());
          loop(u, p);
        }
        Future.all(loops).onComplete(x -> {
          long end = System.currentTimeMillis();
          gapUntil(end);
          int kept = 0;
          int rebound = 0;
          java.util.Map<String, Integer> lostFrom = new java.util.TreeMap<>();
          for (User u : all) {
            kept += u.lost ? 0 : 1;
            rebound += u.lost ? 1 : 0;
            if (u.lost) {
              lostFrom.merge(u.lostFrom == null ? "unknown" : u.lostFrom, 1, Integer::sum);
            }
          }
          client.close();
          int keptUsers = kept;
          int reboundUsers = rebound;
          probeDeployed.compose(id -> id == null ? Future.succeededFuture() : vertx.undeploy(id)).onComplete(u -> {
            long recovery = Math.min(recovery(firstAfterMark, end),
                recovery(probe == null ? -1 : probe.firstGoodAfterMark(), end));
            done.complete(new DrillReport(requests, failed, users, keptUsers, reboundUsers, maxGap, maxGapStart,
                end - startedAt, recovery, lostFrom, failures));
          });
        });
      });
    });
    return done.future();
  }

  private Future<Void> login(User u, int triesLeft) {
    return call(HttpMethod.POST, "/login", null).transform(ar -> {
      if (ar.succeeded() && ar.result().status == 200) {
        u.cookie = ar.result().cookie;
        u.count = 0;
        u.backend = ar.result().backend;
        return Future.succeededFuture();
      }
      if (triesLeft <= 0) {
        return Future.failedFuture(ar.failed() ? ar.cause().getMessage() : "status " + ar.result().status);
      }
      Promise<Void> p = Promise.promise();
      vertx.setTimer(50, t -> login(u, triesLeft - 1).onComplete(p));
      return p.future();
    });
  }

  private void loop(User u, Promise<Void> finished) {
    if (System.currentTimeMillis() >= deadline || requests >= maxRequests) {
      finished.complete();
      return;
    }
    requests++;
    long sentAt = System.currentTimeMillis();
    call(HttpMethod.GET, "/counter", u.cookie).onComplete(ar -> {
      long now = System.currentTimeMillis();
      if (ar.succeeded() && ar.result().status == 200) {
        long mark = mark();
        if (mark >= 0 && firstAfterMark < 0 && sentAt >= mark) {
          firstAfterMark = now;
        }
        gapUntil(now);
        lastGood = now;
        int count = ar.result().body.getInteger("count", -1);
        // A request whose answer was lost (the balancer died with it in flight) may still have
        // counted: a jump forward keeps the session; only a count that restarts means it was lost.
        if (count <= u.count) {
          lose(u);
        }
        u.count = count;
        u.backend = ar.result().backend;
      } else if (ar.succeeded() && ar.result().status == 401) {
        // The session is unknown where the user landed: lost, or re-bound after a backend died.
        gapUntil(now);
        lastGood = now;
        lose(u);
        login(u, 20).onComplete(x -> vertx.setTimer(think.toMillis(), t -> loop(u, finished)));
        return;
      } else {
        failed++;
        failures.merge(ar.succeeded() ? "status " + ar.result().status : failureKind(ar.cause()), 1, Integer::sum);
      }
      vertx.setTimer(Math.max(1, think.toMillis()), t -> loop(u, finished));
    });
  }

  /** A short, bounded name for why a request failed (the drill's report counts them). */
  static String failureKind(Throwable e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (m.contains("refused")) {
      return "connection refused";
    }
    if (m.contains("reset")) {
      return "connection reset";
    }
    if (m.contains("timeout") || m.contains("timed out")) {
      return "timeout";
    }
    if (m.contains("closed")) {
      return "connection closed";
    }
    return e.getClass().getSimpleName();
  }

  /** The user's session is gone: remember the backend it lived on (a drill that killed one checks it). */
  private static void lose(User u) {
    if (!u.lost) {
      u.lostFrom = u.backend;
    }
    u.lost = true;
  }

  private void gapUntil(long now) {
    long gap = now - lastGood;
    if (gap > maxGap) {
      maxGap = gap;
      maxGapStart = lastGood;
    }
  }

  private Future<Answer> call(HttpMethod method, String path, String cookie) {
    RequestOptions o = new RequestOptions().setHost(host).setPort(port).setMethod(method).setURI(path);
    if (cookie != null) {
      o.putHeader("Cookie", cookie);
    }
    return OneShotExchange.run(client, o, timeout.toMillis(), req -> req.send().compose(resp -> resp.body().map(b -> {
      Answer a = new Answer();
      a.status = resp.statusCode();
      a.backend = resp.getHeader("X-Backend");
      // Every cookie the answer sets (the application's session and, in insert mode, Tandem's).
      StringBuilder jar = new StringBuilder();
      for (String sc : resp.cookies()) {
        int semi = sc.indexOf(';');
        jar.append(jar.length() == 0 ? "" : "; ").append(semi < 0 ? sc : sc.substring(0, semi));
      }
      a.cookie = jar.length() == 0 ? null : jar.toString();
      try {
        a.body = b.length() > 0 && b.getByte(0) == '{' ? new JsonObject(b) : new JsonObject();
      } catch (RuntimeException e) {
        a.body = new JsonObject();
      }
      return a;
    })));
  }

  private static final class User {
    String cookie;
    String backend;
    String lostFrom;
    int count;
    boolean lost;
  }

  private static final class Answer {
    int status;
    String backend;
    String cookie;
    JsonObject body;
  }
}
