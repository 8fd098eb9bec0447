package io.tandem.console.capture;

import io.tandem.console.cluster.ClusterPeers;
import io.tandem.console.node.TandemProperties;
import io.tandem.softswitch.capture.CallCapture;
import io.tandem.softswitch.capture.CaptureCodec;
import io.tandem.softswitch.capture.CaptureNodes;
import io.tandem.softswitch.capture.CaptureStore;
import io.tandem.softswitch.capture.SipCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Where captures go and where they are found. A finished call's compressed capture goes to the capture
 * node its id hashes to ({@link CaptureNodes}: this node, or a peer over
 * {@code POST /api/v1/cluster/captures/{id}} with the peer's key); when that peer cannot be reached it
 * is kept here rather than lost. A call is looked for here first (in progress, then stored), then on
 * its capture node, then on the node that carries it when the asker knows it (the active-calls view).
 */
@Service
public class CallCaptures {
    private static final Logger LOG = LoggerFactory.getLogger(CallCaptures.class);

    /** How long a peer may take to answer for a capture. */
    public static final Duration PEER_TIMEOUT = Duration.ofSeconds(2);

    private final CaptureStore store;
    private final ObjectProvider<SipCapture> capture;
    private final ClusterPeers peers;
    private final CaptureNodes nodes;
    private final String self;
    private final AtomicLong lastWarning = new AtomicLong();

    public CallCaptures(CaptureStore store, ObjectProvider<SipCapture> capture, ClusterPeers peers, CaptureProperties properties,
                        TandemProperties node) {
        this.store = store;
        this.capture = capture;
        this.peers = peers;
        this.self = node.effectiveNodeId();
        this.nodes = new CaptureNodes(properties.nodes().isEmpty() ? List.of(self) : properties.nodes());
        for (String name : this.nodes.nodes()) {
            if (!name.equals(self) && peers.peer(name).isEmpty()) {
                throw new IllegalArgumentException("tandem.capture.nodes names '" + name + "', which is neither this node ('"
                        + self + "') nor one of tandem.cluster.peers");
            }
        }
    }

    public String ownerOf(UUID callId) {
        return nodes.ownerOf(callId);
    }

    /** The capture outlet: called on the capture thread with a finished call; never waits on a peer. */
    public void deliver(UUID callId, byte[] blob) {
        String owner = nodes.ownerOf(callId);
        if (owner.equals(self)) {
            store.put(callId, blob);
            return;
        }
        TandemProperties.Peer peer = peers.peer(owner).orElseThrow();
        String body = "{\"blob\":\"" + Base64.getEncoder().encodeToString(blob) + "\"}";
        peers.call(peer, "POST", "/api/v1/cluster/captures/" + callId, body, null, PEER_TIMEOUT).whenComplete((answer, error) -> {
            if (error != null || !answer.ok()) {
                store.put(callId, blob);
                warnAtMostOnceAMinute("capture node {} did not take call {} ({}); kept on this node instead", owner, callId,
                        error != null ? ClusterPeers.describe(error) : "HTTP " + answer.status());
            }
        });
    }

    /** What this node holds of a call: in progress here, or stored here. */
    public Optional<CallCapture> local(UUID callId) {
        SipCapture sip = capture.getIfAvailable();
        Optional<CallCapture> live = sip == null ? Optional.empty() : sip.live(callId);
        return live.isPresent() ? live : store.get(callId).map(CaptureCodec::decode);
    }

    /** Keeps a finished call shipped by a peer; a blob that is not a capture of that call is refused. */
    public void accept(UUID callId, byte[] blob) {
        CallCapture decoded = CaptureCodec.decode(blob);
        if (!decoded.callId().equals(callId)) {
            throw new IllegalArgumentException("the capture is of call " + decoded.callId() + ", not " + callId);
        }
        store.put(callId, blob);
    }

    /**
     * The call's capture wherever it is: here, on its capture node, or on {@code carrierNode} (the node
     * carrying it, when known). Completes within about {@link #PEER_TIMEOUT} per node asked.
     */
    public CompletableFuture<Optional<CallCapture>> find(UUID callId, String carrierNode) {
        Optional<CallCapture> here = local(callId);
        if (here.isPresent()) {
            return CompletableFuture.completedFuture(here);
        }
        List<String> ask = new ArrayList<>(2);
        String owner = nodes.ownerOf(callId);
        if (!owner.equals(self)) {
            ask.add(owner);
        }
        if (carrierNode != null && !carrierNode.equals(self) && !ask.contains(carrierNode) && peers.peer(carrierNode).isPresent()) {
            ask.add(carrierNode);
        }
        return askInTurn(callId, ask, 0);
    }

    private CompletableFuture<Optional<CallCapture>> askInTurn(UUID callId, List<String> names, int index) {
        if (index >= names.size()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        TandemProperties.Peer peer = peers.peer(names.get(index)).orElseThrow();
        return peers.call(peer, "GET", "/api/v1/cluster/captures/" + callId, null, null, PEER_TIMEOUT)
                .handle((answer, error) -> {
                    if (error != null) {
                        LOG.info("capture of call {} not read from {}: {}", callId, peer.name(), ClusterPeers.describe(error));
                        return Optional.<CallCapture>empty();
                    }
                    if (!answer.ok()) {
                        return Optional.<CallCapture>empty();
                    }
                    try {
                        return Optional.of(CaptureCodec.decode(answer.body()));
                    } catch (IllegalArgumentException e) {
                        LOG.warn("peer {} sent a capture of call {} this node cannot read: {}", peer.name(), callId, e.getMessage());
                        return Optional.<CallCapture>empty();
                    }
                })
                .thenCompose(found -> found.isPresent() ? CompletableFuture.completedFuture(found) : askInTurn(callId, names, index + 1));
    }

    private void warnAtMostOnceAMinute(String format, Object... args) {
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        if (now - last > 60_000 && lastWarning.compareAndSet(last, now)) {
            LOG.warn(format, args);
        }
    }
}
