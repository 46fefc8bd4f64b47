package io.tandem.cluster;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.NameCache;

/**
 * This node's JGroups channel: the stack from {@code jgroups.xml} with Tandem's values filled in,
 * members known by node name, and three kinds of events: messages, views and early suspicions.
 *
 * <p>Listeners run on JGroups threads: they must be quick and must not block (hop onto the node's
 * Vert.x context). Register them before {@link #connect()}. A listener that throws is logged; the
 * exception never reaches JGroups. Sends never block and never throw: they are queued for one
 * sender thread (see {@link Sender}), which keeps them in order.
 *
 * <p>A node whose key file differs from the others' cannot join: its JOIN request cannot be
 * decrypted, so nobody answers it, and after GMS's join attempts it forms a view of its own. It
 * reads nothing of the cluster's (each side drops what the other sends, and says so once per peer,
 * see {@link ForeignKeyTap}); MERGE3 keeps finding the other side every few seconds and every merge
 * fails the same way. That is safe, and noisy in the log, which is what an operator needs to see.
 *
 * <p>A witness ({@link #markAsWitness}) carries a mark in its JGroups address, so every member
 * knows it from the view alone, before any status arrives: a joining balancer fetches the state
 * from the oldest other balancer, never from a witness, which has no table (even when it is the
 * coordinator, as it is when it started first).
 */
public final class ClusterChannel implements ClusterTransport, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ClusterChannel.class.getName());
  /** How long a joiner waits for the full state; 1M sticky entries take about 2.5 s on loopback. */
  static final Duration STATE_TIMEOUT = Duration.ofSeconds(60);

  private final ClusterOptions options;
  private final StateProvider state;
  private final JChannel channel;
  private final ForeignKeyTap foreignKeys;
  private final Sender sender;
  private final List<BiConsumer<String, byte[]>> messageListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<ViewInfo>> viewListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> suspectListeners = new CopyOnWriteArrayList<>();
  // Replaced as a whole on each view; read by send() on any thread.
  private volatile Map<String, Address> members = Map.of();
  private volatile ViewInfo view;
  private volatile boolean witness;
  private volatile boolean aborted;
  /** The key of the mark in a witness's address (an {@link ExtendedUUID}). */
  static final String WITNESS_MARK = "tandem.witness";

  /**
   * Builds the channel (binds nothing yet). Checks the key file first, so a bad one is reported
   * as {@code cluster.key-file: ...} rather than as a JGroups stack trace.
   */
  public ClusterChannel(ClusterOptions options, StateProvider state) throws Exception {
    this.options = options;
    this.state = state;
    ClusterKey.check(options.keyFile());
    String xml = StackFile.render(options);
    this.channel = new JChannel(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    ProtocolStack stack = channel.getProtocolStack();
    stack.insertProtocol(new SuspectTap(this::suspected), ProtocolStack.Position.BELOW, VERIFY_SUSPECT2.class);
    SYM_ENCRYPT encrypt = stack.findProtocol(SYM_ENCRYPT.class);
    this.foreignKeys = new ForeignKeyTap(options.nodeName(), encrypt);
    stack.insertProtocol(foreignKeys, ProtocolStack.Position.BELOW, SYM_ENCRYPT.class);
    channel.name(options.nodeName());
    channel.setDiscardOwnMessages(true);
    channel.setReceiver(new Callbacks());
    this.sender = new Sender(options.nodeName());
  }

  /** Called with (sender's node name, payload) for every message from another member. */
  public void onMessage(BiConsumer<String, byte[]> listener) {
    messageListeners.add(listener);
  }

  /** Called with every view this node installs, the first one included. */
  public void onView(Consumer<ViewInfo> listener) {
    viewListeners.add(listener);
  }

  /**
   * Called with a member's name as soon as a failure detector suspects it (FD_SOCK2: its socket
   * closed; FD_ALL3: no heartbeat within the timeout), before VERIFY_SUSPECT2 confirms it and the
   * view drops it. A suspicion can be wrong (the member answers and stays): act on the view.
   * FD_SOCK2 and FD_ALL3 raise it only on the member that would coordinate without the suspects,
   * so in a pair it fires on the survivor; a third member learns from the view.
   */
  public void onSuspect(Consumer<String> listener) {
    suspectListeners.add(listener);
  }

  /**
   * Makes this member a witness: its address carries the mark, it fetches no state on join, and
   * nobody fetches state from it. Call before {@link #connect()}.
   */
  public void markAsWitness() {
    witness = true;
    channel.addAddressGenerator(() -> {
      ExtendedUUID a = ExtendedUUID.randomUUID(options.nodeName());
      a.put(WITNESS_MARK, new byte[] {1});
      return a;
    });
  }

  /** Whether the member with this address is a witness (it carries the mark). */
  static boolean isWitness(Address a) {
    return a instanceof ExtendedUUID u && u.keyExists(WITNESS_MARK);
  }

  /**
   * Joins the cluster and, when another balancer is a member, fetches the full state from the
   * oldest one through the {@link StateProvider} before returning (with none, the table starts
   * empty, which is then correct). Blocks for the join (up to a few seconds when no peer answers)
   * and the state transfer: run it on a worker, never on an event loop.
   */
  public void connect() throws Exception {
    channel.connect(options.clusterName());
    View v = channel.getView();
    Address provider = witness || v == null ? null : stateProvider(v, channel.getAddress());
    if (provider != null) {
      long start = System.nanoTime();
      channel.getState(provider, STATE_TIMEOUT.toMillis());
      LOG.log(System.Logger.Level.INFO, "{0}: state received from {1} in {2} ms", options.nodeName(),
          name(provider), (System.nanoTime() - start) / 1_000_000);
    } else if (!witness && v != null && v.size() > 1) {
      LOG.log(System.Logger.Level.INFO, "{0}: no other balancer in {1}: starting with an empty table",
          options.nodeName(), names(v));
    } else if (v != null && v.size() == 1 && !options.peers().isEmpty()) {
      // Either no peer runs yet, or they run with another key: they answer discovery (unencrypted)
      // but drop the JOIN request, and their logs say so (ForeignKeyTap).
      LOG.log(System.Logger.Level.WARNING, "{0}: no peer let this node join, running alone: the peers {1} "
          + "are down, or use another cluster.key-file (their logs then say so)", options.nodeName(), options.peers());
    }
  }

  @Override
  public void broadcast(byte[] payload) {
    sender.submit("broadcast", () -> channel.send(new BytesMessage(null, payload)));
  }

  @Override
  public void send(String member, byte[] payload) {
    Address dest = members.get(member);
    if (dest == null) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: dropped message to {1}: not in the view", options.nodeName(), member);
      return;
    }
    sender.submit("message to " + member, () -> channel.send(new BytesMessage(dest, payload)));
  }

  /**
   * Whether no other balancer is in the view although peers are configured: this node formed a
   * cluster of its own, because no peer runs, or because one that runs did not answer in time.
   */
  public boolean aloneDespitePeers() {
    View v = channel.getView();
    boolean otherPeers = options.peers().stream().anyMatch(p -> !p.equals(options.bind()));
    return otherPeers && v != null && !witness && stateProvider(v, channel.getAddress()) == null;
  }

  /** The members of the current view, by name (empty before connect). */
  public List<String> members() {
    ViewInfo v = view;
    return v == null ? List.of() : v.members();
  }

  /** The current view, or null before connect. */
  public ViewInfo view() {
    return view;
  }

  /** Leaves the cluster (members see a view without this node, no suspicion) and closes every socket. */
  @Override
  public void close() {
    sender.close();
    if (!aborted) {
      channel.close();
    }
  }

  /**
   * Drills and tests: drop every cluster message in and out (a cut heartbeat link), or restore the
   * link. JGroups' DISCARD protocol above the transport does the dropping.
   */
  public void isolate(boolean cut) {
    org.jgroups.stack.ProtocolStack stack = channel.getProtocolStack();
    org.jgroups.protocols.DISCARD d = stack.findProtocol(org.jgroups.protocols.DISCARD.class);
    if (cut && d == null) {
      d = new org.jgroups.protocols.DISCARD();
      d.discardAll(true);
      try {
        stack.insertProtocol(d, org.jgroups.stack.ProtocolStack.Position.ABOVE, stack.getTransport().getClass());
        d.init();
        d.start();
      } catch (Exception e) {
        throw new IllegalStateException("cannot cut the cluster link: " + e.getMessage(), e);
      }
    } else if (!cut && d != null) {
      stack.removeProtocol(d);
    }
  }

  /** Drills and tests: stop the stack at once, without a leave message, as a crash would. */
  public void abort() {
    aborted = true;
    sender.close();
    ProtocolStack stack = channel.getProtocolStack();
    try {
      stack.stopStack(channel.getClusterName());
      // Not channel.close(): its disconnect goes down the stack as a goodbye, and the peer then did
      // not take the closed failure detector socket for a crash (it suspected this member only at
      // the heartbeat timeout). destroy() frees the threads and timers as close() would.
      stack.destroy();
    } catch (RuntimeException e) {
      // Already down.
    }
  }

  JChannel jchannel() {
    return channel;
  }

  /** Whether FD_SOCK2 holds its connection to the member it watches (it connects after each view). */
  boolean watchingAPeer() {
    FD_SOCK2 fd = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
    return fd != null && "CONNECTED".equals(fd.getClientState());
  }

  long foreignKeyMessages() {
    return foreignKeys.foreignMessages();
  }

  private void suspected(Collection<Address> suspects) {
    for (Address a : suspects) {
      String name = name(a);
      // Logged after the listeners: a crash's takeover starts from here, and the log is a file write.
      for (Consumer<String> l : suspectListeners) {
        safely("suspect listener", () -> l.accept(name));
      }
      LOG.log(System.Logger.Level.INFO, "{0}: suspecting {1}", options.nodeName(), name);
    }
  }

  /** The oldest member that is neither this one nor a witness, or null. */
  static Address stateProvider(View v, Address self) {
    for (Address a : v.getMembers()) {
      if (!a.equals(self) && !isWitness(a)) {
        return a;
      }
    }
    return null;
  }

  private static List<String> names(View v) {
    return v.getMembers().stream().map(ClusterChannel::name).toList();
  }

  private static String name(Address a) {
    String n = NameCache.get(a);
    return n != null ? n : String.valueOf(a);
  }

  private void safely(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, options.nodeName() + ": " + what + " failed", e);
    }
  }

  /** JGroups' callbacks, kept off the public face. */
  private final class Callbacks implements Receiver {
    @Override
    public void receive(Message msg) {
      byte[] payload = payloadOf(msg);
      String from = name(msg.getSrc());
      for (BiConsumer<String, byte[]> l : messageListeners) {
        safely("message listener", () -> l.accept(from, payload));
      }
    }

    @Override
    public void viewAccepted(View v) {
      Map<String, Address> byName = new HashMap<>();
      List<String> names = new ArrayList<>(v.size());
      for (Address a : v.getMembers()) {
        String n = name(a);
        byName.put(n, a);
        names.add(n);
      }
      ViewInfo info = new ViewInfo(v.getViewId().getId(), names, name(v.getCoord()), v instanceof MergeView);
      members = Map.copyOf(byName);
      view = info;
      LOG.log(System.Logger.Level.INFO, "{0}: view {1} {2}{3}", options.nodeName(), info.id(), names,
          info.merge() ? " (merge)" : "");
      for (Consumer<ViewInfo> l : viewListeners) {
        safely("view listener", () -> l.accept(info));
      }
    }

    @Override
    public void getState(OutputStream out) throws Exception {
      state.write(out);
    }

    @Override
    public void setState(InputStream in) throws Exception {
      state.read(in);
    }
  }

  private static byte[] payloadOf(Message msg) {
    byte[] array = msg.getArray();
    if (array == null) {
      return new byte[0];
    }
    int off = msg.getOffset();
    int len = msg.getLength();
    return off == 0 && len == array.length ? array : Arrays.copyOfRange(array, off, off + len);
  }
}
