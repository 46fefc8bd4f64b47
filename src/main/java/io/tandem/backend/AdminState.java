package io.tandem.backend;

/** What the operator set on a backend: in service, draining (for a deploy), or out (maintenance). */
public enum AdminState {
  ENABLED,
  DRAIN,
  MAINT
}
