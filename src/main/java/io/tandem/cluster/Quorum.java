package io.tandem.cluster;

import java.time.Duration;

/**
 * The majority rule of a cluster with a witness ({@code cluster.witness}): the voters are the
 * configured balancers and the witness, and a node may be MASTER only while it sees more than half
 * of them alive, itself included. With two balancers and a witness, a balancer cut off from both
 * others sees 1 of 3 and gives the VIP up, while the other balancer, with the witness, sees 2 of 3
 * and takes it: a partition can no longer leave a MASTER on each side.
 *
 * <p>Without a witness the rule is off ({@link #NONE}): in a pair the survivor of a crash is no
 * majority of two, yet it must take over; keeping a partitioned pair from both holding the VIP is
 * then the takeover guard's job.
 *
 * <p>A voter counts only if heard within the {@code window}, which is shorter than the heartbeat
 * timeout: the MASTER cut off from the majority lets go at {@code window} (plus one heartbeat, when
 * its timer next looks) after it last heard them, while the other side takes over only when the
 * MASTER has been silent for the whole timeout (or its socket closed: it crashed). So the cut-off
 * MASTER releases the VIP before the other side takes it, even when the takeover guard cannot
 * reach it to ask (a host cut off altogether).
 *
 * <p>Live members count by role, up to the configured numbers, so a member nobody configured (a
 * second witness, a balancer missing from {@code cluster.peers}) cannot make up a majority. The
 * cluster key is what admits a member at all.
 *
 * @param balancers the configured balancers ({@code cluster.peers} and this node), 0 for NONE
 * @param witnesses 1 with a witness, 0 for NONE
 * @param windowMillis a voter heard longer ago does not count (ignored for NONE)
 */
public record Quorum(int balancers, int witnesses, long windowMillis) {
  /** No majority rule: a lone node may be MASTER. */
  public static final Quorum NONE = new Quorum(0, 0, 0);

  public Quorum {
    if (witnesses > 0 && windowMillis < 1) {
      throw new IllegalArgumentException("windowMillis: " + windowMillis + " (expected: >= 1)");
    }
    if (witnesses < 0 || witnesses > 1) {
      throw new IllegalArgumentException("witnesses: " + witnesses + " (expected: 0 or 1)");
    }
    if (witnesses == 1 ? balancers < 1 : balancers != 0) {
      throw new IllegalArgumentException("balancers: " + balancers
          + (witnesses == 1 ? " (expected: >= 1)" : " (expected: 0 without a witness)"));
    }
  }

  /** The rule for {@code balancers} balancers and one witness, voters heard within {@code window}. */
  public static Quorum withWitness(int balancers, Duration window) {
    return new Quorum(balancers, 1, window.toMillis());
  }

  /**
   * The window for a heartbeat: the timeout less two heartbeats (so the cut-off MASTER lets go at
   * least one heartbeat before the other side takes over), but at least half the timeout (so a
   * late heartbeat or two does not cost the MASTER its role).
   */
  public static Duration window(Duration heartbeatInterval, Duration heartbeatTimeout) {
    Duration lessTwo = heartbeatTimeout.minus(heartbeatInterval.multipliedBy(2));
    Duration half = heartbeatTimeout.dividedBy(2);
    return lessTwo.compareTo(half) > 0 ? lessTwo : half;
  }

  /** Whether the rule applies at all. */
  public boolean required() {
    return witnesses > 0;
  }

  public int voters() {
    return balancers + witnesses;
  }

  /** The fewest voters that make a majority: more than half. */
  public int majority() {
    return voters() / 2 + 1;
  }

  /** The voters that this many live balancers (this node included) and witnesses stand for. */
  public int seen(int liveBalancers, int liveWitnesses) {
    return Math.min(liveBalancers, balancers) + Math.min(liveWitnesses, witnesses);
  }

  /** Null when the live members make a majority (or there is no rule), else why they do not. */
  public String shortfall(int liveBalancers, int liveWitnesses) {
    if (!required()) {
      return null;
    }
    int seen = seen(liveBalancers, liveWitnesses);
    return seen >= majority() ? null : "no majority: sees " + seen + " of " + voters() + " voters";
  }
}
