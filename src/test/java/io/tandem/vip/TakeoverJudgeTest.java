package io.tandem.vip;

import static io.tandem.vip.GuardVerdict.FREE;
import static io.tandem.vip.GuardVerdict.HELD_ALIVE;
import static io.tandem.vip.GuardVerdict.HELD_UNRESPONSIVE;
import static io.tandem.vip.TakeoverJudge.Ruling.CHECK_AGAIN;
import static io.tandem.vip.TakeoverJudge.Ruling.REFUSE;
import static io.tandem.vip.TakeoverJudge.Ruling.TAKE;
import static io.tandem.vip.TakeoverJudge.Ruling.TAKE_AFTER_SECOND_MISS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One late answer from a holder that answered before is no hang; a holder that never answers is. */
class TakeoverJudgeTest {
  long now = 10_000;
  final TakeoverJudge judge = new TakeoverJudge(Duration.ofMillis(1500), () -> now);

  @Test
  void aFreeVipIsTaken() {
    assertThat(judge.rule(FREE)).isEqualTo(TAKE);
  }

  @Test
  void aLiveHolderIsNeverTakenOver() {
    assertThat(judge.rule(HELD_ALIVE)).isEqualTo(REFUSE);
    now += 500;
    assertThat(judge.rule(HELD_ALIVE)).isEqualTo(REFUSE);
  }

  @Test
  void aHolderThatDoesNotAnswerTheFirstCheckIsTakenAtOnce() {
    // The hang failover: the holder froze, its peer suspected it, and the first probe goes unanswered.
    assertThat(judge.rule(HELD_UNRESPONSIVE)).isEqualTo(TAKE);
  }

  @Test
  void aHolderThatAnsweredBeforeAndMissesOnceIsCheckedAgain() {
    assertThat(judge.rule(HELD_ALIVE)).isEqualTo(REFUSE);
    now += 550;
    assertThat(judge.rule(HELD_UNRESPONSIVE)).isEqualTo(CHECK_AGAIN);
    now += 750;
    assertThat(judge.rule(HELD_ALIVE)).as("it was only slow").isEqualTo(REFUSE);
    now += 550;
    assertThat(judge.rule(HELD_UNRESPONSIVE)).as("slow again, once").isEqualTo(CHECK_AGAIN);
  }

  @Test
  void aSecondMissInARowIsAHang() {
    judge.rule(HELD_ALIVE);
    now += 550;
    assertThat(judge.rule(HELD_UNRESPONSIVE)).isEqualTo(CHECK_AGAIN);
    now += 750;
    assertThat(judge.rule(HELD_UNRESPONSIVE)).isEqualTo(TAKE_AFTER_SECOND_MISS);
    assertThat(TAKE_AFTER_SECOND_MISS.takes()).isTrue();
    assertThat(CHECK_AGAIN.takes()).isFalse();
  }

  @Test
  void anAnswerFromAnEarlierEpisodeDoesNotDelayAHang() {
    judge.rule(HELD_ALIVE);
    now += 1501;
    assertThat(judge.rule(HELD_UNRESPONSIVE)).isEqualTo(TAKE);
  }

  @Test
  void aTakenVipForgetsTheHolder() {
    judge.rule(HELD_ALIVE);
    judge.forget();
    now += 100;
    assertThat(judge.rule(HELD_UNRESPONSIVE)).isEqualTo(TAKE);
  }

  @Test
  void aFreeVipForgetsTheHolderToo() {
    judge.rule(HELD_ALIVE);
    judge.rule(FREE);
    now += 100;
    assertThat(judge.rule(HELD_UNRESPONSIVE)).isEqualTo(TAKE);
  }

  @Test
  void onlyTheCheckAfterAMissConfirms() {
    assertThat(judge.confirming()).isFalse();
    judge.rule(HELD_ALIVE);
    assertThat(judge.confirming()).isFalse();
    now += 550;
    judge.rule(HELD_UNRESPONSIVE);
    assertThat(judge.confirming()).isTrue();
    now += 750;
    judge.rule(HELD_ALIVE);
    assertThat(judge.confirming()).isFalse();
  }

  @Test
  void aMissFromAnEarlierEpisodeNeitherConfirmsNorCountsAsTheFirstOfTwo() {
    judge.rule(HELD_ALIVE);
    now += 550;
    judge.rule(HELD_UNRESPONSIVE);
    now += 1501;
    assertThat(judge.confirming()).isFalse();
    assertThat(judge.rule(HELD_UNRESPONSIVE)).isEqualTo(TAKE);
  }
}
