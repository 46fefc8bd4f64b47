package io.tandem.proxy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Health measured where the work is: each proxy event loop stamps a beat every few tens of
 * milliseconds from a timer on that loop; a loop that is blocked stops stamping. The node's health
 * (and so its claim to MASTER) reads {@link #stalestMillis()}, so a node whose data path is stuck
 * while its other threads still run is no longer healthy.
 */
public final class LoopWatch {
  public static final long BEAT_MILLIS = 25;

  private final LongSupplier clock;
  private final ConcurrentHashMap<Object, AtomicLong> beats = new ConcurrentHashMap<>();

  public LoopWatch(LongSupplier clockMillis) {
    this.clock = clockMillis;
  }

  void register(Object loop) {
    beats.put(loop, new AtomicLong(clock.getAsLong()));
  }

  void unregister(Object loop) {
    beats.remove(loop);
  }

  void beat(Object loop) {
    AtomicLong b = beats.get(loop);
    if (b != null) {
      b.set(clock.getAsLong());
    }
  }

  /** Milliseconds since the slowest loop last beat (0 with no loop registered). */
  public long stalestMillis() {
    long now = clock.getAsLong();
    long worst = 0;
    for (AtomicLong b : beats.values()) {
      worst = Math.max(worst, now - b.get());
    }
    return worst;
  }
}
