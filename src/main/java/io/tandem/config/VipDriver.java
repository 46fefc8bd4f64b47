package io.tandem.config;

/**
 * How the floating IP moves: {@code bind} (the MASTER binds the VIP socket itself: one machine,
 * tests, no root), {@code iproute2} (the MASTER adds the address to an interface and announces it
 * by gratuitous ARP: real hosts), {@code script} (operator scripts move it: clouds, where an API
 * call moves the address).
 */
public enum VipDriver {
  BIND,
  IPROUTE2,
  SCRIPT
}
