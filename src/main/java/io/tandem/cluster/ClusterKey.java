package io.tandem.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * The cluster's shared key file, as written by {@code tandem keygen}: one AES-256 key in a PKCS12 key
 * store under the alias {@value #ALIAS}, read by JGroups' SYM_ENCRYPT.
 *
 * <p>The store password is the fixed, public {@value #STORE_PASSWORD}: a password kept beside the
 * file in the config would protect nothing. The file's mode (0600, owner only) is the protection,
 * as for an SSH private key.
 */
public final class ClusterKey {
  /** The alias of the key inside the store (SYM_ENCRYPT's {@code alias}). */
  public static final String ALIAS = "tandem";
  /** The fixed store (and key) password; see the class comment for why it is not a secret. */
  public static final String STORE_PASSWORD = "tandem-cluster-key";
  static final String STORE_TYPE = "PKCS12";
  private static final int KEY_BITS = 256;

  private ClusterKey() {}

  /** Writes a new key to {@code out}; refuses to replace an existing file. */
  public static void generate(Path out) throws IOException {
    generate(out, false);
  }

  /**
   * Writes a new key to {@code out} atomically with mode 0600: a reader never sees a half-written
   * store, and the key is never readable by others, not even for a moment.
   *
   * @param overwrite replace an existing file (else {@link FileAlreadyExistsException})
   */
  public static void generate(Path out, boolean overwrite) throws IOException {
    Path target = out.toAbsolutePath();
    if (!overwrite && Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "exists (not overwritten)");
    }
    byte[] store = newStore();
    // The temporary file is created with 0600 (not chmod-ed after), in the target's directory so the
    // final rename stays on one file system.
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (OutputStream os = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
        os.write(store);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      if (overwrite) {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        // link(2) fails if the target appeared meanwhile: no race with a concurrent keygen.
        Files.createLink(target, tmp);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Checks that {@code file} is a key store that SYM_ENCRYPT can use. The message names the config
   * key and the file: {@code cluster.key-file: /x: not a PKCS12 keystore}.
   */
  public static void check(Path file) throws KeyStoreException {
    String where = "cluster.key-file: " + file + ": ";
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance(STORE_TYPE);
      store.load(in, STORE_PASSWORD.toCharArray());
    } catch (NoSuchFileException e) {
      throw new KeyStoreException(where + "no such file (create one with: tandem keygen --out " + file + ")");
    } catch (AccessDeniedException e) {
      throw new KeyStoreException(where + "not readable (permission denied)");
    } catch (IOException | GeneralSecurityException e) {
      // PKCS12 reports a wrong password and a non-PKCS12 file alike as an IOException.
      throw new KeyStoreException(where + "not a PKCS12 keystore (or not written by tandem keygen)", e);
    }
    Key key;
    try {
      key = store.containsAlias(ALIAS) ? store.getKey(ALIAS, STORE_PASSWORD.toCharArray()) : null;
    } catch (GeneralSecurityException e) {
      throw new KeyStoreException(where + "key under alias " + ALIAS + " cannot be read", e);
    }
    if (key == null) {
      throw new KeyStoreException(where + "no key under alias " + ALIAS);
    }
    if (!(key instanceof SecretKey) || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
      throw new KeyStoreException(where + "key under alias " + ALIAS + " is " + key.getAlgorithm()
          + " (expected: AES-256 secret key)");
    }
    byte[] encoded = key.getEncoded();
    int bits = encoded == null ? 0 : encoded.length * 8;
    if (bits != KEY_BITS) {
      throw new KeyStoreException(where + "key under alias " + ALIAS + " is AES-" + bits + " (expected: AES-256)");
    }
  }

  private static byte[] newStore() {
    try {
      KeyGenerator gen = KeyGenerator.getInstance("AES");
      gen.init(KEY_BITS);
      SecretKey key = gen.generateKey();
      KeyStore store = KeyStore.getInstance(STORE_TYPE);
      store.load(null, null);
      char[] password = STORE_PASSWORD.toCharArray();
      store.setEntry(ALIAS, new KeyStore.SecretKeyEntry(key), new KeyStore.PasswordProtection(password));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      store.store(bytes, password);
      return bytes.toByteArray();
    } catch (GeneralSecurityException | IOException e) {
      // Every JDK has AES and PKCS12: this is a broken runtime, not a user error.
      throw new IllegalStateException("cannot create an AES-256 PKCS12 key store", e);
    }
  }
}
