package io.tandem.app;

/** The build's version, from the jar manifest (or "dev" when run from classes). */
final class Version {
  private Version() {}

  static String text() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
