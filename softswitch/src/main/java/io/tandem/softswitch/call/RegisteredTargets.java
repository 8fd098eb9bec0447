package io.tandem.softswitch.call;

import io.tandem.routing.RegisteredContacts;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.SipUri;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a call to a customer trunk's registered contact goes now (docs/registrations.md): the port
 * through which {@link VendorHunt} reaches a gateway whose {@code registeredTrunkId} is set. The registrar
 * implements it from the cluster's bindings. Any thread, from memory.
 */
@FunctionalInterface
public interface RegisteredTargets extends RegisteredContacts {

    /**
     * @param contact the contact URI as registered (the B-leg's Request-URI, its user the called number)
     * @param sendTo  where the INVITE goes: the contact's flow (the address and port it registered from)
     *                when this node holds it, else the holder node, which relays it on that flow
     * @param route   the Route header value that has the holder relay the request (its own address, {@code lr}
     *                and the sealed flow), or null when this node sends to the flow itself
     * @param transport how {@code sendTo} is reached: the flow's own transport when this node holds it (over
     *                TCP/TLS only on the connection it registered on), UDP to a holder node
     * @param unreachable why the contact cannot be reached now although it is registered (its connection is
     *                closed), or null; the attempt then fails over like a 480
     */
    record Target(SipUri contact, InetSocketAddress sendTo, String route, SipTransport transport, String unreachable) {
        public Target {
            Objects.requireNonNull(contact, "contact");
            Objects.requireNonNull(sendTo, "sendTo");
            Objects.requireNonNull(transport, "transport");
        }

        /** A UDP target that can be reached. */
        public Target(SipUri contact, InetSocketAddress sendTo, String route) {
            this(contact, sendTo, route, SipTransport.UDP, null);
        }
    }

    /** No registrations: every registered-contact gateway is skipped. */
    RegisteredTargets NONE = trunkId -> Optional.empty();

    /** How many of a trunk's contacts one call tries, one after the other (sequential forking). */
    int MAX_FORKED_CONTACTS = 5;

    /** The trunk's first contact in {@link #targetsOf} order that this node can reach now, else an unreachable one, if any. */
    Optional<Target> targetOf(long trunkId);

    /**
     * The trunk's registered contacts in the order a call tries them (docs/registrations.md): highest {@code q} first,
     * then the most recently registered or refreshed; at most {@link #MAX_FORKED_CONTACTS}. Unreachable ones (their
     * connection closed) are listed where they rank, with {@link Target#unreachable} set. Any thread, from memory.
     */
    default List<Target> targetsOf(long trunkId) {
        return targetOf(trunkId).map(List::of).orElse(List.of());
    }

    @Override
    default boolean registered(long trunkId) {
        return targetOf(trunkId).isPresent();
    }

    /**
     * A call's attempt found the trunk's contact gone ({@code target} empty: no binding since routing) or
     * unreachable; for the registrar's counters. Any thread.
     */
    default void missed(long trunkId, Optional<Target> target) {
    }

    /**
     * A late-bound {@link RegisteredTargets}: routing and the call engine are built before the registrar,
     * which is then {@link #connect connected}. Until then nothing is registered.
     */
    final class Link implements RegisteredTargets {
        private volatile RegisteredTargets connected = NONE;

        public void connect(RegisteredTargets targets) {
            this.connected = Objects.requireNonNull(targets);
        }

        @Override
        public Optional<Target> targetOf(long trunkId) {
            return connected.targetOf(trunkId);
        }

        @Override
        public List<Target> targetsOf(long trunkId) {
            return connected.targetsOf(trunkId);
        }

        @Override
        public boolean registered(long trunkId) {
            return connected.registered(trunkId);
        }

        @Override
        public void missed(long trunkId, Optional<Target> target) {
            connected.missed(trunkId, target);
        }
    }
}
