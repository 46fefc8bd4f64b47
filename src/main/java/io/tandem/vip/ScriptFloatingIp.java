package io.tandem.vip;

import io.tandem.config.VipConfig;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code script} driver, like keepalived's notify scripts: where the VIP moves by an API call
 * (a cloud's secondary address, say), the operator's {@code master} script takes it and {@code
 * backup} gives it up; {@code fault} and {@code stop} are told. Each script gets its event, the VIP
 * address and the epoch as arguments ({@code master 198.18.0.100/24 7}) and runs with a timeout; a
 * failed {@code master} or {@code backup} script puts the node in FAULT.
 */
public final class ScriptFloatingIp implements FloatingIp {
  private static final System.Logger LOG = System.getLogger(ScriptFloatingIp.class.getName());

  private final String node;
  private final VipConfig vip;
  private final CommandRunner runner;
  private volatile boolean held;

  /** @param runner runs the scripts one at a time, in order */
  public ScriptFloatingIp(String node, VipConfig vip, CommandRunner runner) {
    this.node = node;
    this.vip = vip;
    this.runner = runner;
  }

  @Override
  public Future<Void> acquire(long epoch) {
    return run("master", vip.scripts().master(), epoch).onSuccess(v -> held = true);
  }

  @Override
  public Future<Void> release(long epoch) {
    return run("backup", vip.scripts().backup(), epoch).onSuccess(v -> held = false);
  }

  @Override
  public void fault(long epoch, String reason) {
    run("fault", vip.scripts().fault(), epoch);
  }

  @Override
  public Future<Void> close() {
    return run("stop", vip.scripts().stop(), 0).eventually(() -> {
      runner.close();
      return Future.succeededFuture();
    });
  }

  private Future<Void> run(String event, Optional<Path> script, long epoch) {
    if (script.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> argv = List.of(script.get().toString(), event, vip.cidr(), Long.toString(epoch));
    return runner.run(argv, vip.commandTimeout()).compose(r -> {
      if (!r.ok()) {
        LOG.log(System.Logger.Level.ERROR, "{0}: vip.scripts.{1} failed: {2}", node, event, r.describe());
        return Future.failedFuture(new IOException("vip.scripts." + event + ": " + r.describe()));
      }
      LOG.log(System.Logger.Level.INFO, "{0}: epoch {1}: vip.scripts.{2} done{3}", node, Long.toString(epoch),
          event, r.output().isEmpty() ? "" : ": " + r.output());
      return Future.<Void>succeededFuture();
    });
  }

  @Override
  public boolean held() {
    return held;
  }

  @Override
  public String describe() {
    return "script " + vip.cidr();
  }
}
