package io.tandem.demo;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Server-side sessions keyed by a random 128-bit id (base64url, no padding). Not thread-safe: the
 * owning server touches it only on its own context; {@link #size()} alone may be read from any
 * thread.
 */
final class SessionStore {

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> byId = new HashMap<>();
  private volatile int size;

  Session create() {
    byte[] bytes = new byte[16];
    String id;
    do {
      random.nextBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (byId.containsKey(id));
    Session session = new Session(id);
    byId.put(id, session);
    size = byId.size();
    return session;
  }

  /** The session with this id, or null. */
  Session find(String id) {
    return byId.get(id);
  }

  int size() {
    return size;
  }

  /** One user's state: a counter that the counter endpoint and the page increment. */
  static final class Session {
    private final String id;
    private long count;

    private Session(String id) {
      this.id = id;
    }

    String id() {
      return id;
    }

    long count() {
      return count;
    }

    long increment() {
      return ++count;
    }
  }
}
