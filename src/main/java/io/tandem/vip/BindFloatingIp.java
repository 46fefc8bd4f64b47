package io.tandem.vip;

import io.tandem.config.ListenConfig;
import io.tandem.config.VipConfig;
import io.tandem.proxy.ProxyFrontends;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The {@code bind} driver: the MASTER serves the VIP address on its own proxy event loops (with
 * SO_REUSEPORT, so a new MASTER can bind while a frozen old one still holds its socket: that one
 * lets go as soon as it wakes and learns it lost the election). For one machine and for tests: no
 * root, no ARP.
 */
public final class BindFloatingIp implements FloatingIp {
  private static final System.Logger LOG = System.getLogger(BindFloatingIp.class.getName());

  private final String node;
  private final VipConfig vip;
  private final ProxyFrontends proxy;

  public BindFloatingIp(String node, VipConfig vip, ProxyFrontends proxy) {
    this.node = node;
    this.vip = vip;
    this.proxy = proxy;
  }

  @Override
  public Future<Void> acquire(long epoch) {
    return proxy.startVip(new ListenConfig(vip.address(), Optional.empty()))
        .onSuccess(v -> LOG.log(System.Logger.Level.INFO, "{0}: epoch {1}: serving VIP {2}", node, epoch, vip.address()))
        .onFailure(e -> LOG.log(System.Logger.Level.ERROR, "{0}: epoch {1}: cannot bind VIP {2}: {3}", node, epoch,
            vip.address(), e.getMessage()));
  }

  @Override
  public Future<Void> release(long epoch) {
    if (!proxy.servingVip()) {
      return Future.succeededFuture();
    }
    return proxy.stopVip()
        .onSuccess(v -> LOG.log(System.Logger.Level.INFO, "{0}: epoch {1}: released VIP {2}", node, epoch, vip.address()));
  }

  @Override
  public boolean held() {
    return proxy.servingVip();
  }

  @Override
  public String describe() {
    return "bind " + vip.address();
  }
}
