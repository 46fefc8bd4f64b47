package io.tandem.drill;

import io.vertx.core.json.JsonObject;

/**
 * What a load run saw. {@code sessionsKept} counts users whose count never restarted; {@code
 * rebound} those whose backend was lost and who logged in again elsewhere (expected only when a
 * backend dies); {@code maxGapMs} is the longest time with no good answer to anyone; {@code
 * recoveryMs} the time from the drill's mark (the kill) to the first good answer to a request sent
 * after it (-1 without a mark); {@code lostFrom} the backend each lost session lived on, counted; {@code failures} why requests failed, counted.
 */
public record DrillReport(
    long requests,
    long failed,
    int sessions,
    int sessionsKept,
    int rebound,
    long maxGapMs,
    long maxGapStartMillis,
    long durationMs,
    long recoveryMs,
    java.util.Map<String, Integer> lostFrom,
    java.util.Map<String, Integer> failures) {

  public DrillReport {
    lostFrom = java.util.Map.copyOf(lostFrom);
    failures = java.util.Map.copyOf(failures);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("requests", requests)
        .put("failed_requests", failed)
        .put("sessions", sessions)
        .put("sessions_kept", sessionsKept)
        .put("rebound", rebound)
        .put("max_gap_ms", maxGapMs)
        .put("max_gap_start_ms", maxGapStartMillis)
        .put("duration_ms", durationMs)
        .put("recovery_ms", recoveryMs)
        .put("lost_from", new JsonObject(new java.util.TreeMap<String, Object>(lostFrom)))
        .put("failures", new JsonObject(new java.util.TreeMap<String, Object>(failures)));
  }
}
