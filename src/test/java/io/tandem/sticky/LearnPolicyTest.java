package io.tandem.sticky;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.StickyConfig;
import io.tandem.config.StickyMode;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LearnPolicyTest {
  private final FakeClock clock = new FakeClock();
  private final StickyPolicy policy = StickyPolicy.create(
      new StickyConfig(StickyMode.LEARN, "JSESSIONID", Duration.ofMinutes(30), List.of(), 1000),
      new SplittableRandom(1), clock);
  private final InetAddress peer = InetAddress.getLoopbackAddress();

  private String key(String... cookieHeaders) {
    return policy.keyOf(Arrays.asList(cookieHeaders), peer, null).orElse(null);
  }

  private String learned(String... setCookieHeaders) {
    return policy.learnedKey(Arrays.asList(setCookieHeaders)).orElse(null);
  }

  private String httpDate(Duration fromNow) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        Instant.ofEpochMilli(clock.getAsLong()).plus(fromNow).atZone(ZoneOffset.UTC));
  }

  @Test
  void readsTheSessionCookieAmongOthers() {
    assertThat(key("a=1; JSESSIONID=abc; b=2")).isEqualTo("c:abc");
  }

  @Test
  void readsTheSessionCookieFromAnyOfSeveralCookieHeaders() {
    assertThat(key("a=1; b=2", "theme=dark; JSESSIONID=abc")).isEqualTo("c:abc");
  }

  @Test
  void theFirstOccurrenceWins() {
    assertThat(key("JSESSIONID=first; JSESSIONID=second", "JSESSIONID=third")).isEqualTo("c:first");
    assertThat(key("a=1", "JSESSIONID=second", "JSESSIONID=third")).isEqualTo("c:second");
  }

  @Test
  void toleratesWhitespaceAndTabs() {
    assertThat(key("  a=1 ;\tJSESSIONID = abc\t ; b=2")).isEqualTo("c:abc");
    assertThat(key("a=1;JSESSIONID=abc")).isEqualTo("c:abc");
  }

  @Test
  void unquotesAQuotedValue() {
    assertThat(key("JSESSIONID=\"abc\"")).isEqualTo("c:abc");
  }

  @Test
  void matchesTheCookieNameExactlyAndCaseSensitively() {
    assertThat(key("jsessionid=abc; XJSESSIONID=def; JSESSIONIDX=ghi")).isNull();
  }

  @Test
  void malformedCookieHeadersYieldNoKey() {
    assertThat(policy.keyOf(null, peer, null)).isEmpty();
    assertThat(key((String) null)).isNull();
    assertThat(key("")).isNull();
    assertThat(key(";;; ;")).isNull();
    assertThat(key("JSESSIONID")).isNull();
    assertThat(key("JSESSIONID=")).isNull();
    assertThat(key("JSESSIONID=\"")).isNull();
    assertThat(key("JSESSIONID=\"\"")).isNull();
    assertThat(key("JSESSIONID=a b")).isNull();
    assertThat(key("JSESSIONID=a,b")).isNull();
    assertThat(key("JSESSIONID=caf\u00e9")).isNull();
  }

  @Test
  void aBadFirstOccurrenceIsNotReplacedByALaterOne() {
    assertThat(key("JSESSIONID=a b; JSESSIONID=good")).isNull();
  }

  @Test
  void aValueTooLongForTheTableYieldsNoKey() {
    assertThat(key("JSESSIONID=" + "x".repeat(Cookies.MAX_VALUE_LENGTH))).isEqualTo("c:" + "x".repeat(256));
    assertThat(key("JSESSIONID=" + "x".repeat(Cookies.MAX_VALUE_LENGTH + 1))).isNull();
  }

  @Test
  void aHugeHeaderIsScannedWithoutError() {
    assertThat(key(";".repeat(1_000_000) + "JSESSIONID=abc")).isEqualTo("c:abc");
    assertThat(key("a".repeat(1_000_000))).isNull();
  }

  @Test
  void learnsTheKeyFromSetCookieIgnoringAttributes() {
    assertThat(learned("JSESSIONID=abc; Path=/app; HttpOnly; Secure; SameSite=Strict")).isEqualTo("c:abc");
  }

  @Test
  void learnsTheSameKeyTheCookieLaterCarries() {
    assertThat(learned("JSESSIONID=\"abc\"; Path=/")).isEqualTo(key("JSESSIONID=\"abc\""));
  }

  @Test
  void learnsOnlyTheConfiguredCookie() {
    assertThat(learned("other=abc; Path=/", "XJSESSIONID=def")).isNull();
    assertThat(policy.learnedKey(null)).isEmpty();
  }

  @Test
  void aSetCookieThatDeletesTheSessionIsNotALearnedKey() {
    assertThat(learned("JSESSIONID=; Path=/")).isNull();
    assertThat(learned("JSESSIONID=abc; Max-Age=0")).isNull();
    assertThat(learned("JSESSIONID=abc; max-age=-1")).isNull();
    assertThat(learned("JSESSIONID=abc; Expires=Thu, 01 Jan 1970 00:00:00 GMT")).isNull();
    assertThat(learned("JSESSIONID=deleted; expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/")).isNull();
    assertThat(learned("JSESSIONID=abc; Expires=" + httpDate(Duration.ofSeconds(-1)))).isNull();
  }

  @Test
  void aSetCookieWithAFutureExpiryIsLearned() {
    assertThat(learned("JSESSIONID=abc; Max-Age=3600")).isEqualTo("c:abc");
    assertThat(learned("JSESSIONID=abc; Expires=" + httpDate(Duration.ofDays(1)))).isEqualTo("c:abc");
  }

  @Test
  void maxAgeWinsOverExpires() {
    assertThat(learned("JSESSIONID=abc; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60")).isEqualTo("c:abc");
    assertThat(learned("JSESSIONID=abc; Max-Age=0; Expires=" + httpDate(Duration.ofDays(1)))).isNull();
  }

  @Test
  void unreadableExpiryAttributesAreIgnored() {
    assertThat(learned("JSESSIONID=abc; Expires=soon; Max-Age=1h")).isEqualTo("c:abc");
    assertThat(learned("JSESSIONID=abc; Expires=" + "x".repeat(10_000))).isEqualTo("c:abc");
  }

  @Test
  void theLastSetCookieForTheSessionWins() {
    assertThat(learned("JSESSIONID=old", "JSESSIONID=new")).isEqualTo("c:new");
    assertThat(learned("JSESSIONID=abc", "JSESSIONID=; Max-Age=0")).isNull();
  }

  @Test
  void malformedSetCookieHeadersYieldNoKey() {
    assertThat(learned((String) null)).isNull();
    assertThat(learned("")).isNull();
    assertThat(learned("JSESSIONID")).isNull();
    assertThat(learned("; JSESSIONID=abc")).isNull();
    assertThat(learned("JSESSIONID=a\"b; Path=/")).isNull();
  }

  @Test
  void issuesNoCookieOfItsOwn() {
    assertThat(policy.mode()).isEqualTo(StickyMode.LEARN);
    assertThat(policy.newInsertedKey()).isEmpty();
    assertThatThrownBy(() -> policy.insertCookie("c:abc", true)).isInstanceOf(IllegalStateException.class);
  }
}
