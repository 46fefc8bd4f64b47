package io.tandem.sticky;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.StickyConfig;
import io.tandem.config.StickyMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InsertPolicyTest {
  private final StickyPolicy policy = StickyPolicy.create(
      new StickyConfig(StickyMode.INSERT, "TANDEM", Duration.ofMinutes(30), List.of(), 1000),
      new SplittableRandom(1));
  private final InetAddress peer = InetAddress.getLoopbackAddress();

  private String key(String cookieHeader) {
    return policy.keyOf(List.of(cookieHeader), peer, null).orElse(null);
  }

  @Test
  void newKeysAreOpaqueRandomIds() {
    String a = policy.newInsertedKey().orElseThrow();
    String b = policy.newInsertedKey().orElseThrow();

    assertThat(a).matches("i:[A-Za-z0-9_-]{22}").isNotEqualTo(b);
  }

  @Test
  void insertedCookieIsHttpOnlyAndLaxForTheWholeSite() {
    String key = policy.newInsertedKey().orElseThrow();
    String id = key.substring(2);

    assertThat(policy.insertCookie(key, false)).isEqualTo("TANDEM=" + id + "; Path=/; HttpOnly; SameSite=Lax");
    assertThat(policy.insertCookie(key, true)).isEqualTo("TANDEM=" + id + "; Path=/; HttpOnly; SameSite=Lax; Secure");
  }

  @Test
  void anIssuedCookieReadsBackAsTheSameKey() {
    String key = policy.newInsertedKey().orElseThrow();
    String cookie = policy.insertCookie(key, true);

    assertThat(key("a=1; " + cookie.substring(0, cookie.indexOf(';')) + "; b=2")).isEqualTo(key);
  }

  @Test
  void aForgedOrGarbageCookieIsTreatedAsAbsent() {
    assertThat(key("TANDEM=10.0.0.1")).isNull();
    assertThat(key("TANDEM=web1")).isNull();
    assertThat(key("TANDEM=../../../etc/passwd")).isNull();
    assertThat(key("TANDEM=AAAAAAAAAAAAAAAAAAAAAAA")).isNull(); // 23 characters
    assertThat(key("TANDEM=AAAAAAAAAAAAAAAAAAAAAB")).isNull(); // 22, but more than 128 bits
    assertThat(key("TANDEM=AAAAAAAAAAAAAAAAAAAA+A")).isNull(); // base64, not base64url
    assertThat(key("TANDEM=")).isNull();
    assertThat(key("TANDEM")).isNull();
  }

  @Test
  void aWellFormedIdIsAcceptedWhoeverIssuedIt() {
    assertThat(key("TANDEM=AAAAAAAAAAAAAAAAAAAAAw")).isEqualTo("i:AAAAAAAAAAAAAAAAAAAAAw");
  }

  @Test
  void theKeyIsNeverDerivedFromTheAddress() {
    assertThat(policy.keyOf(List.of(), peer, "203.0.113.5")).isEmpty();
  }

  @Test
  void refusesToIssueACookieForAKeyItDidNotMake() {
    assertThatThrownBy(() -> policy.insertCookie("c:abc", false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy.insertCookie("i:x; Domain=evil", false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void learnsNothingFromResponses() {
    assertThat(policy.mode()).isEqualTo(StickyMode.INSERT);
    assertThat(policy.learnedKey(List.of("TANDEM=AAAAAAAAAAAAAAAAAAAAAw"))).isEmpty();
  }
}
