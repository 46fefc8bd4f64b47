package io.tandem.cluster;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.protocols.EncryptHeader;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.NameCache;

/**
 * Says why a peer cannot get in. Sits directly below SYM_ENCRYPT and looks at the key version (an
 * MD5 of the key) that every encrypted message carries: a message sealed with another key is one
 * SYM_ENCRYPT will drop (from a non-member it logs only "rejected decryption"). Logs once per
 * sender that its key differs, counts every such message, and passes everything on unchanged.
 */
final class ForeignKeyTap extends Protocol {
  private static final System.Logger LOG = System.getLogger(ForeignKeyTap.class.getName());
  private static final int MAX_REMEMBERED = 64;

  private final String node;
  private final SYM_ENCRYPT encrypt;
  private final AtomicLong foreign = new AtomicLong();
  private final Set<Address> reported = ConcurrentHashMap.newKeySet();

  ForeignKeyTap(String node, SYM_ENCRYPT encrypt) {
    this.node = node;
    this.encrypt = encrypt;
  }

  /** Messages seen so far that were encrypted with another key. */
  long foreignMessages() {
    return foreign.get();
  }

  @Override
  public Object up(Message msg) {
    inspect(msg);
    return up_prot.up(msg);
  }

  @Override
  public void up(MessageBatch batch) {
    for (Message msg : batch) {
      inspect(msg);
    }
    up_prot.up(batch);
  }

  private void inspect(Message msg) {
    EncryptHeader hdr = msg.getHeader(encrypt.getId());
    byte[] ours = encrypt.symVersion();
    if (hdr == null || ours == null || Arrays.equals(hdr.version(), ours)) {
      return;
    }
    foreign.incrementAndGet();
    Address src = msg.getSrc();
    if (src != null && reported.size() < MAX_REMEMBERED && reported.add(src)) {
      String name = NameCache.get(src);
      LOG.log(System.Logger.Level.WARNING, "{0}: dropping messages from {1}: they are encrypted with "
          + "another cluster key (cluster.key-file differs between the nodes; copy one key to all)",
          node, name != null ? name : src);
    }
  }
}
