package io.tandem.demo;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Small helpers for writing replies and reading bounded query parameters. */
final class Replies {

  private Replies() {}

  static void json(HttpServerRequest req, int status, JsonObject body) {
    send(req, status, "application/json", body.encode());
  }

  static void error(HttpServerRequest req, int status, String message) {
    json(req, status, new JsonObject().put("error", message));
  }

  static void text(HttpServerRequest req, int status, String body) {
    send(req, status, "text/plain; charset=utf-8", body);
  }

  static void html(HttpServerRequest req, int status, String body) {
    send(req, status, "text/html; charset=utf-8", body);
  }

  static void send(HttpServerRequest req, int status, String contentType, String body) {
    HttpServerResponse resp = req.response();
    if (resp.ended() || resp.closed()) {
      return;
    }
    resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(body);
  }

  /**
   * The query parameter {@code name} as a long in {@code 0..max}.
   *
   * @throws BadRequest if it is missing, malformed or out of range
   */
  static long boundedLong(HttpServerRequest req, String name, long max) {
    String expected = " (expected: an integer 0-" + max + ")";
    String raw;
    try {
      raw = req.getParam(name);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("query: " + req.query() + " (expected: a well-formed query string)");
    }
    if (raw == null) {
      throw new BadRequest(name + ": missing" + expected);
    }
    long value;
    try {
      value = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new BadRequest(name + ": " + raw + expected);
    }
    if (value < 0 || value > max) {
      throw new BadRequest(name + ": " + raw + expected);
    }
    return value;
  }
}
