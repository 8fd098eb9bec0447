package io.tandem.console.registrations;

import io.tandem.console.node.TandemProperties;
import io.tandem.softswitch.call.CallEngine;
import io.tandem.softswitch.call.identify.CustomerSource;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.call.identify.TrunkIdentification;
import io.tandem.softswitch.registrar.ClusterEventSeal;
import io.tandem.softswitch.registrar.ClusterSync;
import io.tandem.softswitch.registrar.Registrar;
import io.tandem.softswitch.registrar.RegistrarSettings;
import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.protection.AddressBlocks;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a node's registrar from {@code tandem.registrar.*} and {@code tandem.cluster.*}: its limits,
 * and its cluster sync when {@code tandem.cluster.event-key} is set (peers without a
 * {@code sip-address} get no events). A bad key or peer address stops the start with its name.
 */
public final class RegistrarAssembly {
    private static final Logger log = LoggerFactory.getLogger(RegistrarAssembly.class);

    private RegistrarAssembly() {
    }

    public static Registrar registrar(TandemProperties properties, SipStack stack, CallEngine engine, Supplier<TrunkIdentification> trunks,
                                      DigestAuthenticator digest, Clock clock) {
        TandemProperties.Registrar limits = properties.registrar();
        String nodeId = properties.effectiveNodeId();
        RegistrarSettings settings = RegistrarSettings.defaults(nodeId)
                .withExpires(limits.minExpires(), limits.maxExpires(), limits.defaultExpires())
                .withCaps(limits.maxContactsPerTrunk(), limits.maxBindings());
        ClusterSync sync = null;
        TandemProperties.Cluster cluster = properties.cluster();
        if (cluster.eventKey() != null && !cluster.eventKey().isBlank()) {
            sync = new ClusterSync(nodeId, new ClusterEventSeal(cluster.eventKey()), peers(cluster.peers()), stack, () -> micros(clock),
                    cluster.eventMaxSkew());
        } else if (!cluster.peers().isEmpty() && limits.enabled()) {
            log.warn("tandem.cluster.event-key is not set: registrations on this node stay unknown to its {} peers", cluster.peers().size());
        }
        return new Registrar(settings, trunks, digest, engine.digestFailureBans(), stack,
                new CustomerSource(properties.sip().trustedProxies()), sync, clock::millis);
    }

    /** The peers that take registration events: {@code tandem.cluster.peers[n].sip-address} as {@code ip:port}. */
    static List<ClusterSync.Peer> peers(List<TandemProperties.Peer> configured) {
        List<ClusterSync.Peer> peers = new ArrayList<>();
        for (TandemProperties.Peer peer : configured) {
            if (peer.sipAddress() == null || peer.sipAddress().isBlank()) {
                continue;
            }
            String address = peer.sipAddress().trim();
            int colon = address.lastIndexOf(':');
            String host = colon > 0 ? address.substring(0, colon) : "";
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            if (AddressBlocks.literal(host) == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException("tandem.cluster.peers (" + peer.name() + ").sip-address must be ip:port, not " + address);
            }
            peers.add(new ClusterSync.Peer(peer.name(), host, port));
        }
        return peers;
    }

    /** The peers' SIP addresses, trusted by flood protection like provisioned trunks. */
    public static Set<InetAddress> peerAddresses(TandemProperties properties) {
        Set<InetAddress> addresses = new HashSet<>();
        for (ClusterSync.Peer peer : peers(properties.cluster().peers())) {
            addresses.add(AddressBlocks.literal(peer.host()));
        }
        return Set.copyOf(addresses);
    }

    private static long micros(Clock clock) {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
