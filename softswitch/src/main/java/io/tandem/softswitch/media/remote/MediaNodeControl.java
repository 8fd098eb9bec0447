package io.tandem.softswitch.media.remote;

import io.tandem.softswitch.media.relay.MediaStats;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * How a signalling node drives the relay of a remote media node (docs/media.md, "Media nodes").
 * Every call is asynchronous and completes, or fails, within a short timeout: the SIP loops never
 * wait on it. Port numbers are leased ahead ({@link #lease}), so that an SDP can be rewritten at
 * once on the SIP loop; the session's targets follow in {@link #update}.
 */
public interface MediaNodeControl {

    /** Reserves port pairs of the node's range for this signalling node. */
    CompletableFuture<PortGrant> lease(String node, int pairs);

    /** Creates or re-targets one call's session: its whole state, applied only if newer than what the node has. */
    CompletableFuture<NodeLoad> update(String node, SessionUpdate update);

    /** Ends one call's session; its ports go back to the node's range. Answers the session's media figures. */
    CompletableFuture<Released> release(String node, UUID call);

    /**
     * The node's load; also renews this signalling node's leases there.
     *
     * @param unused the leased ports this signalling node still holds unused; the node frees its other
     *               unused leases to this signalling node. Null while a lease is under way (nothing is freed)
     * @return the load, and this signalling node's answered calls there that fell silent (media timeout)
     */
    CompletableFuture<NodeStatus> status(String node, List<Integer> unused);

    /**
     * The node answered and refused (full, or a port not leased to this signalling node): it is alive, so its
     * other calls stay; only the refused call must go elsewhere.
     */
    final class RefusedException extends RuntimeException {
        public RefusedException(String why) {
            super(why);
        }
    }

    /**
     * A media node's load.
     *
     * @param sessions    calls anchored there now (from every signalling node)
     * @param maxSessions its cap ({@code tandem.media.max-sessions}, default 5,000)
     */
    record NodeLoad(int sessions, int maxSessions) {
    }

    /**
     * A media node's answer to a status call.
     *
     * @param silent the asking signalling node's answered calls on the node with no RTP either way for their
     *               {@link SessionUpdate#silenceLimitMillis}; at most {@link #MAX_SILENT}, the rest at the next call
     */
    record NodeStatus(int sessions, int maxSessions, List<UUID> silent) {
        public static final int MAX_SILENT = 256;

        public NodeStatus {
            silent = silent == null ? List.of() : List.copyOf(silent);
        }

        public NodeLoad load() {
            return new NodeLoad(sessions, maxSessions);
        }
    }

    /**
     * What a media node says of a session it ended.
     *
     * @param stats the session's media figures (packets, octets, lost, jitter each way), or null when the node
     *              had no such session (never created, or already gone)
     */
    record Released(int sessions, int maxSessions, MediaStats stats) {
        public NodeLoad load() {
            return new NodeLoad(sessions, maxSessions);
        }
    }

    /**
     * Ports reserved for the asking signalling node.
     *
     * @param address the media node's public address, written into SDP
     * @param ports   even RTP ports (RTCP is the odd port above)
     */
    record PortGrant(String address, List<Integer> ports, NodeLoad load) {
        public PortGrant {
            ports = List.copyOf(ports);
        }
    }

    /** Where one side of a stream wants its media (its SDP's address and port); null address when unknown. */
    record Endpoint(String address, int port) {
    }

    /**
     * One RTP stream ({@code m=} line) of a call.
     *
     * @param customerPort the leased port the customer sends to
     * @param vendorPort   the leased port the vendor sends to
     * @param customer     where the customer wants media, or null before its SDP
     * @param vendor       where the vendor wants media, or null before its SDP
     * @param clockRate    of the stream's first format (jitter statistics)
     */
    record StreamTargets(int customerPort, int vendorPort, Endpoint customer, Endpoint vendor, int clockRate) {
    }

    /**
     * A call's whole media state on one node.
     *
     * @param revision           grows with each update of the call; the node ignores one older than it applied
     * @param answered           whether the call was answered
     * @param silenceLimitMillis once answered, no RTP either way this long makes the call {@link NodeStatus#silent}
     *                           (the signalling node's media timeout, or its hold timeout while a stream is held);
     *                           0: never
     */
    record SessionUpdate(UUID call, long revision, List<StreamTargets> streams, boolean answered, long silenceLimitMillis) {
        public SessionUpdate {
            streams = List.copyOf(streams);
        }

        public SessionUpdate(UUID call, long revision, List<StreamTargets> streams, boolean answered) {
            this(call, revision, streams, answered, 0);
        }
    }
}
