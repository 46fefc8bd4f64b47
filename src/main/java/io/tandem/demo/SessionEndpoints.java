package io.tandem.demo;

import io.tandem.demo.SessionStore.Session;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Login, counter and the HTML page. The session id travels in the {@code JSESSIONID} cookie; when
 * a request carries several (several Cookie headers or repeated names), the first one known here
 * wins.
 */
final class SessionEndpoints {

  static final String COOKIE = "JSESSIONID";

  private final String name;
  private final SessionStore sessions;

  SessionEndpoints(String name, SessionStore sessions) {
    this.name = name;
    this.sessions = sessions;
  }

  /** {@code POST /login}: a new session; a browser form (Accept: text/html) is sent back to /. */
  void login(HttpServerRequest req) {
    Session session = sessions.create();
    req.response().putHeader(HttpHeaders.SET_COOKIE, COOKIE + "=" + session.id() + "; Path=/; HttpOnly");
    String accept = req.getHeader(HttpHeaders.ACCEPT);
    if (accept != null && accept.contains("text/html")) {
      req.response().putHeader(HttpHeaders.LOCATION, "/");
      Replies.text(req, 303, "See /");
      return;
    }
    Replies.json(req, 200, reply(session));
  }

  /** {@code GET /counter}: counts one more for a known session, else 401. */
  void counter(HttpServerRequest req) {
    Session session = find(cookieValues(req));
    if (session == null) {
      Replies.error(req, 401, "session unknown on " + name);
      return;
    }
    session.increment();
    Replies.json(req, 200, reply(session));
  }

  /** {@code GET /}: the session page (counting like /counter), or a login form. */
  void page(HttpServerRequest req) {
    List<String> ids = cookieValues(req);
    Session session = find(ids);
    if (session == null) {
      Replies.html(req, 200, Pages.login(name, ids.isEmpty() ? null : ids.get(0)));
      return;
    }
    session.increment();
    Replies.html(req, 200, Pages.session(name, session.id(), session.count()));
  }

  private JsonObject reply(Session session) {
    return new JsonObject().put("backend", name).put("session", session.id()).put("count", session.count());
  }

  private Session find(List<String> ids) {
    for (String id : ids) {
      Session session = sessions.find(id);
      if (session != null) {
        return session;
      }
    }
    return null;
  }

  /** Every JSESSIONID value across all Cookie headers, in order. */
  static List<String> cookieValues(HttpServerRequest req) {
    List<String> values = new ArrayList<>(1);
    for (String header : req.headers().getAll(HttpHeaders.COOKIE)) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq < 0 || !pair.substring(0, eq).trim().equals(COOKIE)) {
          continue;
        }
        String value = pair.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        if (!value.isEmpty()) {
          values.add(value);
        }
      }
    }
    return values;
  }
}
