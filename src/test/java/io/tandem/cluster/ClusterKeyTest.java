package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.KeyStoreException;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterKeyTest {
  @TempDir Path dir;

  @Test
  void generatesAnAes256KeyReadableOnlyByItsOwner() throws Exception {
    Path file = dir.resolve("cluster.key");
    ClusterKey.generate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThatCode(() -> ClusterKey.check(file)).doesNotThrowAnyException();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(file)) {
      store.load(in, ClusterKey.STORE_PASSWORD.toCharArray());
    }
    var key = store.getKey(ClusterKey.ALIAS, ClusterKey.STORE_PASSWORD.toCharArray());
    assertThat(key.getAlgorithm()).isEqualTo("AES");
    assertThat(key.getEncoded()).hasSize(32);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void generatesADifferentKeyEachTime() throws Exception {
    ClusterKey.generate(dir.resolve("a"));
    ClusterKey.generate(dir.resolve("b"));
    assertThat(keyOf(dir.resolve("a"))).isNotEqualTo(keyOf(dir.resolve("b")));
  }

  @Test
  void refusesToOverwriteAnExistingFile() throws Exception {
    Path file = dir.resolve("cluster.key");
    Files.writeString(file, "precious");
    assertThatThrownBy(() -> ClusterKey.generate(file)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("precious");
  }

  @Test
  void overwritesWhenTold() throws Exception {
    Path file = dir.resolve("cluster.key");
    Files.writeString(file, "old");
    ClusterKey.generate(file, true);
    assertThatCode(() -> ClusterKey.check(file)).doesNotThrowAnyException();
  }

  @Test
  void checkRejectsAFileThatIsNotAKeyStore() throws Exception {
    Path file = dir.resolve("cluster.key");
    Files.writeString(file, "not a key store");
    assertThatThrownBy(() -> ClusterKey.check(file))
        .isInstanceOf(KeyStoreException.class)
        .hasMessageStartingWith("cluster.key-file: " + file + ": not a PKCS12 keystore");
  }

  @Test
  void checkRejectsAMissingFile() {
    Path file = dir.resolve("absent.key");
    assertThatThrownBy(() -> ClusterKey.check(file))
        .hasMessageStartingWith("cluster.key-file: " + file + ": no such file");
  }

  @Test
  void checkRejectsAStoreWithoutTheTandemAlias() throws Exception {
    Path file = dir.resolve("other.p12");
    writeStore(file, "other", aes(256));
    assertThatThrownBy(() -> ClusterKey.check(file))
        .hasMessage("cluster.key-file: " + file + ": no key under alias tandem");
  }

  @Test
  void checkRejectsAnAes128Key() throws Exception {
    Path file = dir.resolve("short.p12");
    writeStore(file, ClusterKey.ALIAS, aes(128));
    assertThatThrownBy(() -> ClusterKey.check(file))
        .hasMessage("cluster.key-file: " + file + ": key under alias tandem is AES-128 (expected: AES-256)");
  }

  private static SecretKey aes(int bits) throws Exception {
    KeyGenerator gen = KeyGenerator.getInstance("AES");
    gen.init(bits);
    return gen.generateKey();
  }

  private static void writeStore(Path file, String alias, SecretKey key) throws Exception {
    char[] pw = ClusterKey.STORE_PASSWORD.toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setEntry(alias, new KeyStore.SecretKeyEntry(key), new KeyStore.PasswordProtection(pw));
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, pw);
    }
  }

  private static String keyOf(Path file) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(file)) {
      store.load(in, ClusterKey.STORE_PASSWORD.toCharArray());
    }
    return java.util.HexFormat.of().formatHex(store.getKey(ClusterKey.ALIAS, ClusterKey.STORE_PASSWORD.toCharArray()).getEncoded());
  }
}
