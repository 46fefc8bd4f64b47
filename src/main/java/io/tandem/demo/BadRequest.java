package io.tandem.demo;

/** Thrown by an endpoint for input it refuses; the dispatcher answers 400 with the message. */
final class BadRequest extends RuntimeException {

  BadRequest(String message) {
    super(message, null, false, false);
  }
}
