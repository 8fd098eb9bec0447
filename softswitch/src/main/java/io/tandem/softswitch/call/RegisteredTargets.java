package io.tandem.softswitch.call;

import io.tandem.routing.RegisteredContacts;
import io.tandem.softswitch.sip.message.SipUri;
import java.net.InetSocketAddress;
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
     */
    record Target(SipUri contact, InetSocketAddress sendTo, String route) {
        public Target {
            Objects.requireNonNull(contact, "contact");
            Objects.requireNonNull(sendTo, "sendTo");
        }
    }

    /** No registrations: every registered-contact gateway is skipped. */
    RegisteredTargets NONE = trunkId -> Optional.empty();

    /** The trunk's most recently registered contact that this node can reach now, if any. */
    Optional<Target> targetOf(long trunkId);

    @Override
    default boolean registered(long trunkId) {
        return targetOf(trunkId).isPresent();
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
        public boolean registered(long trunkId) {
            return connected.registered(trunkId);
        }
    }
}
