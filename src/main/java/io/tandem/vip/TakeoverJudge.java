package io.tandem.vip;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Turns the takeover guard's verdicts, one takeover attempt after another, into a ruling. A holder
 * that answered the last check but misses this one's probe may be a live node that was slow once
 * (a GC pause, a busy host) while a partition keeps its peer from hearing it: taking the VIP then
 * makes two holders until the partition heals. Seen once in CI (the in-JVM partition test, a 250 ms
 * probe timeout on a loaded machine). So after an answer, one miss only asks for another check a
 * heartbeat timeout later, with a more patient probe ({@link TakeoverGuard#confirm}), and a second
 * miss in a row is a hang. A holder that did not answer the first check of an attempt (the usual
 * hang: the VIP's holder froze, and its peer suspected it) is taken at once, so the hang failover
 * gap does not change.
 *
 * <p>An answer or a miss is remembered for {@code memory} (a few heartbeat timeouts, longer than
 * the gap between two checks); one seen longer ago belongs to an earlier episode. Used on one
 * context.
 */
public final class TakeoverJudge {
  /** What a takeover attempt does with its guard's verdict. */
  public enum Ruling {
    /** Nobody holds the VIP, or its holder is hung: take it. */
    TAKE,
    /** A holder that answered before missed a second check in a row: hung, take it. */
    TAKE_AFTER_SECOND_MISS,
    /** A live node serves the VIP: do not take it. */
    REFUSE,
    /** A holder that answered the last check missed this one: not yet, check again. */
    CHECK_AGAIN;

    public boolean takes() {
      return this == TAKE || this == TAKE_AFTER_SECOND_MISS;
    }
  }

  private final long memoryMillis;
  private final LongSupplier millis;
  private long aliveAt;
  private boolean seenAlive;
  private boolean missed;
  private long missedAt;

  /**
   * @param memory how long a holder's answer counts against a miss
   * @param millis a monotonic clock in milliseconds
   */
  public TakeoverJudge(Duration memory, LongSupplier millis) {
    this.memoryMillis = memory.toMillis();
    this.millis = Objects.requireNonNull(millis, "millis");
  }

  public Ruling rule(GuardVerdict verdict) {
    long now = millis.getAsLong();
    switch (verdict) {
      case FREE -> {
        forget();
        return Ruling.TAKE;
      }
      case HELD_ALIVE -> {
        seenAlive = true;
        aliveAt = now;
        missed = false;
        return Ruling.REFUSE;
      }
      default -> {
        if (missed && now - missedAt <= memoryMillis) {
          return Ruling.TAKE_AFTER_SECOND_MISS;
        }
        if (seenAlive && now - aliveAt <= memoryMillis) {
          missed = true;
          missedAt = now;
          return Ruling.CHECK_AGAIN;
        }
        return Ruling.TAKE;
      }
    }
  }

  /**
   * Whether the next check confirms a miss: the holder answered, then missed one check, so the
   * next one decides and may wait longer for its answer ({@link TakeoverGuard#confirm}).
   */
  public boolean confirming() {
    return missed && millis.getAsLong() - missedAt <= memoryMillis;
  }

  /**
   * Runs every rule once on a judge of its own: the first ruling otherwise loads and links the
   * judge's classes inside the first failover's gap.
   */
  public static void warmUp() {
    TakeoverJudge j = new TakeoverJudge(Duration.ofMinutes(1), () -> 0);
    for (GuardVerdict v : List.of(GuardVerdict.HELD_ALIVE, GuardVerdict.HELD_UNRESPONSIVE,
        GuardVerdict.HELD_UNRESPONSIVE, GuardVerdict.FREE)) {
      j.confirming();
      j.rule(v).takes();
    }
    j.forget();
  }

  /** The VIP was taken: whatever the holder did before is over. */
  public void forget() {
    seenAlive = false;
    missed = false;
  }
}
