package io.tandem.config;

/** How a user is recognised: the application's session cookie, a cookie Tandem inserts, the client address, or not at all. */
public enum StickyMode {
  LEARN,
  INSERT,
  SOURCE,
  NONE
}
