package io.tandem.backend;

/** How one forwarded request ended, as passive ejection and the metrics count it. */
public enum Outcome {
  /** A response below 500 (or any status that is the application's business). */
  SUCCESS,
  /** The backend answered 5xx. */
  SERVER_ERROR,
  /** No connection could be made: nothing was sent. */
  CONNECT_FAILURE,
  /** Connected, but the response did not come in time or the connection broke. */
  FAILURE,
  /** The client went away first: says nothing about the backend. */
  CANCELLED
}
