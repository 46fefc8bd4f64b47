package io.tandem.cluster;

import java.util.Collection;
import java.util.function.Consumer;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.stack.Protocol;

/**
 * A pass-through protocol that reports every SUSPECT event on its way up, before VERIFY_SUSPECT2
 * spends its timeout confirming it: the election can get ready (run the takeover guard) while the
 * view change is still on its way. It sits above FD_SOCK2 and FD_ALL3, directly below
 * VERIFY_SUSPECT2, so it hears both the crash detector (a closed socket, within milliseconds) and
 * the hang detector (heartbeat timeout). It adds no header and changes nothing.
 */
final class SuspectTap extends Protocol {
  private final Consumer<Collection<Address>> listener;

  SuspectTap(Consumer<Collection<Address>> listener) {
    this.listener = listener;
  }

  @Override
  public Object up(Event evt) {
    if (evt.getType() == Event.SUSPECT) {
      Collection<Address> suspects = evt.getArg();
      listener.accept(suspects);
    }
    return up_prot.up(evt);
  }
}
