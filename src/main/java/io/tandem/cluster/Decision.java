package io.tandem.cluster;

/**
 * What a node must do now, as {@link Election#decide()} returns it. The decision is already taken
 * when it is returned (the election's state has moved), so the caller acts on every one that is
 * not KEEP exactly once and reports the result ({@link Election#vipAcquired}, {@link
 * Election#vipReleased}).
 *
 * @param action what to do
 * @param epoch BECOME_MASTER: the new epoch, carried by every VIP action and log line; STEP_DOWN:
 *     the epoch being given up; KEEP: the current epoch
 * @param reason why, for the log and the node's status
 */
public record Decision(Action action, long epoch, String reason) {

  /** The three things a node can be told. */
  public enum Action {
    /** Nothing to do. */
    KEEP,
    /** Run the takeover guard, acquire the VIP, announce it, and report with vipAcquired. */
    BECOME_MASTER,
    /** Release the VIP (or make sure it is not held), and report with vipReleased. */
    STEP_DOWN
  }

  static Decision keep(long epoch) {
    return new Decision(Action.KEEP, epoch, "");
  }

  static Decision becomeMaster(long epoch, String reason) {
    return new Decision(Action.BECOME_MASTER, epoch, reason);
  }

  static Decision stepDown(long epoch, String reason) {
    return new Decision(Action.STEP_DOWN, epoch, reason);
  }

  public boolean isKeep() {
    return action == Action.KEEP;
  }
}
