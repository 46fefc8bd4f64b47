package io.tandem.cluster;

/**
 * A cluster message or snapshot that cannot be decoded: truncated, of an unknown type or version,
 * or with a length or count that does not fit. The message names the part and the byte offset
 * ({@code "DELTAS: entry 3 key length 9999 past end at offset 57"}). Unchecked, so decoding can run
 * inside callbacks; the receiver drops the message and logs it.
 */
public final class WireFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WireFormatException(String message) {
    super(message);
  }
}
