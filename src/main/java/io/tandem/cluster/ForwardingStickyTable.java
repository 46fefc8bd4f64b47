package io.tandem.cluster;

import io.tandem.sticky.Binding;
import io.tandem.sticky.RebindReason;
import io.tandem.sticky.StickyTable;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** Passes every call to {@code delegate}; a decorator overrides only what it adds to. */
abstract class ForwardingStickyTable implements StickyTable {
  protected final StickyTable delegate;

  ForwardingStickyTable(StickyTable delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public Optional<Binding> get(String key) {
    return delegate.get(key);
  }

  @Override
  public Binding bind(String key, String backendId) {
    return delegate.bind(key, backendId);
  }

  @Override
  public Binding rebind(String key, String fromBackend, String toBackend, RebindReason reason) {
    return delegate.rebind(key, fromBackend, toBackend, reason);
  }

  @Override
  public void touch(String key) {
    delegate.touch(key);
  }

  @Override
  public void remove(String key) {
    delegate.remove(key);
  }

  @Override
  public boolean applyRemote(Binding binding) {
    return delegate.applyRemote(binding);
  }

  @Override
  public boolean applyRemoteRemove(String key, long version) {
    return delegate.applyRemoteRemove(key, version);
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public long rejectedFull() {
    return delegate.rejectedFull();
  }

  @Override
  public Map<String, Integer> countByBackend() {
    return delegate.countByBackend();
  }

  @Override
  public int expireIdle() {
    return delegate.expireIdle();
  }

  @Override
  public void forEach(Consumer<Binding> action) {
    delegate.forEach(action);
  }

  @Override
  public void addListener(Listener listener) {
    delegate.addListener(listener);
  }
}
