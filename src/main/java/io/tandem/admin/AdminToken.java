package io.tandem.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin bearer token. Read from its file at start; when the file does not exist a fresh random
 * token is written there with mode 0600, so a first start is secure without a manual step.
 */
public final class AdminToken {
  private final byte[] token;

  private AdminToken(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  public static AdminToken of(String token) {
    return new AdminToken(token);
  }

  /** Blocking file I/O: call before the event loops start, or from a worker. */
  public static AdminToken loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      String t = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (t.length() < 16) {
        throw new IOException(file + ": admin token too short (expected: at least 16 characters)");
      }
      return new AdminToken(t);
    }
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String t = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = Files.createTempFile(parent, ".admin-token", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the file keeps the platform's default protection.
    }
    Files.writeString(tmp, t + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return new AdminToken(t);
  }

  /** Constant-time comparison of an {@code Authorization} header value. */
  public boolean matchesHeader(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return matches(authorization.substring(7).trim());
  }

  /**
   * Constant-time comparison of a bare token (the login form's field, the status page's cookie).
   * {@link MessageDigest#isEqual} does not stop at the first differing byte.
   */
  public boolean matches(String candidate) {
    if (candidate == null || candidate.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8), token);
  }

  public String value() {
    return new String(token, StandardCharsets.UTF_8);
  }
}
