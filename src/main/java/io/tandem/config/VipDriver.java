package io.tandem.config;

/** How the floating IP moves: {@code bind} (the MASTER binds the VIP socket itself; one machine, tests, no root). */
public enum VipDriver {
  BIND
}
