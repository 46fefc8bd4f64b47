package io.tandem.cluster;

/**
 * For a node that joined alone beside a live VIP holder (its discovery went unanswered, or it was
 * cut off): when it may call itself in sync. It waits for the merge with the holder, which brings
 * the holder's table; if the holder stops serving first, it died before the merge, no table is left
 * to wait for, and the node starts with what it has.
 *
 * <p>"Stopped serving" takes {@value #GONE_PROBES} probes in a row, one heartbeat timeout apart:
 * the holder did not serve for four timeouts. A single probe can catch a live holder between giving
 * the VIP up and taking it back: a MASTER whose timers ran late (a busy host) steps down when it
 * wakes and takes the VIP again a heartbeat and a guard probe later, so it does not serve for the
 * pause (over one timeout: that is what made it step down) plus the retake (a fraction of one, more
 * on a saturated host). Seen in the drills: the lone node took over on one such probe, both nodes
 * held the VIP at the same epoch until the merge, and the sessions the lone node routed with its
 * empty table were lost. A holder that stays away for four timeouts is dead or hung, and the cost
 * (a takeover four timeouts later) falls only on a rare case: the holder died while cut off from a
 * node that had just restarted.
 *
 * <p>Not thread-safe: one context calls it.
 */
final class AwaitedTable {
  /** What the node does after a heartbeat or a probe. */
  enum Step {
    /** Nothing yet. */
    WAIT,
    /** Probe the holder now, and report with {@link #probed}. */
    PROBE,
    /** The merge brought the table: in sync. */
    MERGED,
    /** The holder stopped serving before the merge: in sync with the table this node has. */
    HOLDER_GONE
  }

  /** Probes in a row that must find the holder not serving. */
  static final int GONE_PROBES = 5;

  private final long fullSyncsAtJoin;
  private final int beatsPerProbe;
  private int beatsSinceProbe;
  private boolean probing;
  private int goneProbes;

  /**
   * @param fullSyncsAtJoin the table's count of full syncs applied when the node joined alone
   * @param beatsPerProbe heartbeats between two probes (a heartbeat timeout's worth)
   */
  AwaitedTable(long fullSyncsAtJoin, int beatsPerProbe) {
    if (beatsPerProbe < 1) {
      throw new IllegalArgumentException("beatsPerProbe: " + beatsPerProbe + " (expected: >= 1)");
    }
    this.fullSyncsAtJoin = fullSyncsAtJoin;
    this.beatsPerProbe = beatsPerProbe;
  }

  /** One heartbeat, given the table's count of full syncs applied. */
  Step beat(long fullSyncsApplied) {
    if (fullSyncsApplied > fullSyncsAtJoin) {
      return Step.MERGED;
    }
    if (probing || ++beatsSinceProbe < beatsPerProbe) {
      return Step.WAIT;
    }
    beatsSinceProbe = 0;
    probing = true;
    return Step.PROBE;
  }

  /** The answer of the probe that {@link #beat} asked for: whether the holder serves. */
  Step probed(boolean holderServes) {
    probing = false;
    goneProbes = holderServes ? 0 : goneProbes + 1;
    return goneProbes >= GONE_PROBES ? Step.HOLDER_GONE : Step.WAIT;
  }

  /** Probes in a row so far that found the holder not serving. */
  int goneProbes() {
    return goneProbes;
  }
}
