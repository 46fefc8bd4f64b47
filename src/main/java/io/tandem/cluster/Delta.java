package io.tandem.cluster;

import io.tandem.sticky.Binding;

/** One sticky change in a {@link DeltaBatch}. */
public sealed interface Delta permits Delta.Bind, Delta.Remove, Delta.Touch {

  String key();

  /** A bind or re-bind: the new binding. */
  record Bind(Binding binding) implements Delta {
    @Override
    public String key() {
      return binding.key();
    }
  }

  /** A delete (explicit, or expiry with the entry's own version). */
  record Remove(String key, long version) implements Delta {}

  /** Activity: the key was used at {@code lastSeenMillis} (coalesced per key). */
  record Touch(String key, long lastSeenMillis) implements Delta {}
}
