package io.tandem.cli;

/** A failure the operator is told about in one line, with the exit code it maps to. No stack trace. */
final class CtlException extends RuntimeException {
  static final int REFUSED = 1;
  static final int UNREACHABLE = 3;

  private final int code;

  private CtlException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** The node said no, or answered something this command cannot use: exit 1. */
  static CtlException refused(String message) {
    return new CtlException(REFUSED, message);
  }

  /** No answer, or the token was not accepted: exit 3. */
  static CtlException unreachable(String message) {
    return new CtlException(UNREACHABLE, message);
  }

  int code() {
    return code;
  }
}
