package io.tandem.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The floating address the MASTER serves.
 *
 * @param address the VIP and a port: the port the VIP is served on with {@code bind}, and the port
 *     the takeover guard probes a holder at with the other drivers
 * @param prefixLength the prefix the address is added with ({@code iproute2}); the full width
 *     otherwise
 * @param iface the interface the address goes on ({@code iproute2}); empty otherwise
 * @param lease the address's lifetime, renewed by a healthy MASTER: the kernel drops the VIP from a
 *     node that stops renewing it ({@code iproute2})
 * @param commandTimeout how long {@code ip}, {@code arping} or a script may run before it is killed
 *     and the node goes to FAULT
 */
public record VipConfig(
    VipDriver driver,
    HostPort address,
    int prefixLength,
    String iface,
    Duration lease,
    Garp garp,
    Scripts scripts,
    Duration commandTimeout) {

  /** Gratuitous ARP: {@code count} announcements {@code interval} apart on takeover, one every {@code refresh}. */
  public record Garp(int count, Duration interval, Duration refresh) {
    public static final Garp DEFAULT = new Garp(5, Duration.ofMillis(200), Duration.ofSeconds(60));
  }

  /** The {@code script} driver's hooks (keepalived's notify scripts): master and backup move the VIP. */
  public record Scripts(Optional<Path> master, Optional<Path> backup, Optional<Path> fault, Optional<Path> stop) {
    public static final Scripts NONE = new Scripts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The {@code bind} driver's config: an address and port, nothing else. */
  public static VipConfig bind(HostPort address) {
    return new VipConfig(VipDriver.BIND, address, address.host().indexOf(':') >= 0 ? 128 : 32, "",
        Duration.ZERO, Garp.DEFAULT, Scripts.NONE, Duration.ofSeconds(2));
  }

  /** The address with its prefix, as {@code ip addr} takes it. */
  public String cidr() {
    return address.host() + "/" + prefixLength;
  }
}
