package io.tandem.app;

import io.tandem.cluster.ClusterKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem keygen --out FILE}: the pair's shared AES-256 cluster key (PKCS12, mode 0600). */
@Command(name = "keygen", description = "Write a new cluster key (copy the same file to every node).")
final class KeygenCommand implements Callable<Integer> {
  @Option(names = {"-o", "--out"}, required = true, description = "The key file to create (refuses to overwrite).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (java.nio.file.Files.exists(out)) {
      System.err.println("keygen: " + out + " exists; not overwriting it (every node must keep the same key)");
      return 1;
    }
    ClusterKey.generate(out);
    System.out.println("keygen: wrote " + out + " (AES-256, mode 0600): copy it to every node, set cluster.key-file");
    return 0;
  }
}
