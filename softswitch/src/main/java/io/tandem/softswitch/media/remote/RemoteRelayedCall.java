package io.tandem.softswitch.media.remote;

import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.call.MediaAnchor;
import io.tandem.softswitch.call.MessageBody;
import io.tandem.softswitch.media.relay.RelayedCall;
import io.tandem.softswitch.media.remote.MediaNodeControl.Endpoint;
import io.tandem.softswitch.media.remote.MediaNodeControl.SessionUpdate;
import io.tandem.softswitch.media.remote.MediaNodeControl.StreamTargets;
import io.tandem.softswitch.media.sdp.MediaDescription;
import io.tandem.softswitch.media.sdp.SdpAnchoring;
import io.tandem.softswitch.media.sdp.SdpSyntaxException;
import io.tandem.softswitch.media.sdp.SessionDescription;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call whose media is anchored on a remote media node. The SDP is rewritten here, on the call's
 * SIP loop, with ports leased from the node ahead of time ({@link MediaNodes#takePorts}); the
 * targets the SDP names go to the node afterwards ({@link MediaNodeControl#update}), never waited for.
 *
 * <p>When the node is lost: before answer, the next SDP that crosses the call (the answer, a 183,
 * the offer to the next vendor) places the call on another node with new ports, and both sides'
 * known targets go there; after answer, the {@link Listener} ends the call ({@code media node lost}).
 */
public final class RemoteRelayedCall implements MediaAnchor, MediaNodes.Member {

    private static final Logger log = LoggerFactory.getLogger(RemoteRelayedCall.class);

    /** What the node hears from a remote-anchored call; called on the call's SIP loop, must not block. */
    public interface Listener {
        /** The media node of an answered call was lost: end the call. */
        void mediaNodeLost(CallFacts call, String node);
    }

    /** One {@code m=} line: the node's port each side sends to, and where each side wants media. */
    private static final class Stream {
        int customerPort;
        int vendorPort;
        Endpoint customer;
        Endpoint vendor;
        int clockRate = 8000;
    }

    private final MediaNodes nodes;
    private final MediaNodeControl control;
    private final CallFacts facts;
    private final TransactionExecutor loop;
    private final Listener listener;
    private final List<Stream> streams = new ArrayList<>();
    private final SdpAnchoring.Origin towardVendor;
    private final SdpAnchoring.Origin towardCustomer;
    private boolean decideOnFirstOffer;
    private boolean bypassed;
    private boolean answered;
    private boolean closed;
    private MediaNodes.Placement placement;
    private long revision;

    public RemoteRelayedCall(MediaNodes nodes, MediaNodeControl control, CallFacts facts, TransactionExecutor loop, Listener listener,
                             boolean auto) {
        this.nodes = nodes;
        this.control = control;
        this.facts = facts;
        this.loop = loop;
        this.listener = listener;
        this.decideOnFirstOffer = auto;
        long sessionId = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
        this.towardVendor = new SdpAnchoring.Origin(sessionId);
        this.towardCustomer = new SdpAnchoring.Origin(sessionId + 1);
    }

    /** The media node the call is anchored on now, or null. */
    public String node() {
        return placement == null ? null : placement.node();
    }

    @Override
    public MessageBody towardVendor(MessageBody fromCustomer) {
        return anchor(fromCustomer, true);
    }

    @Override
    public MessageBody towardCustomer(MessageBody fromVendor) {
        return anchor(fromVendor, false);
    }

    @Override
    public void answered() {
        answered = true;
        if (placement != null) {
            push();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (placement != null) {
            String node = placement.node();
            nodes.released(node, this);
            control.release(node, facts.id()).whenComplete((load, error) -> {
                if (error != null) {
                    nodes.failed(node, MediaNodes.describe(error));
                } else {
                    nodes.answered(node, load);
                }
            });
            placement = null;
        }
    }

    @Override
    public void mediaNodeLost(String node) {
        loop.execute(() -> {
            if (closed || placement == null || !placement.node().equals(node)) {
                return;
            }
            placement = null;
            nodes.released(node, this);
            if (answered) {
                log.warn("Call {}: media node {} lost after answer; ending the call", facts.id(), node);
                listener.mediaNodeLost(facts, node);
            } else {
                log.info("Call {}: media node {} lost before answer; the next SDP re-anchors it on another", facts.id(), node);
            }
        });
    }

    private MessageBody anchor(MessageBody body, boolean fromCustomer) {
        if (closed || bypassed || body == null || body.contentType() == null
                || !body.contentType().toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
            return body;
        }
        SessionDescription sdp;
        try {
            sdp = SessionDescription.parse(body.content());
        } catch (SdpSyntaxException e) {
            log.warn("Call {}: SDP from the {} not anchored: {}", facts.id(), fromCustomer ? "customer" : "vendor", e.getMessage());
            return body;
        }
        if (decideOnFirstOffer && fromCustomer) {
            decideOnFirstOffer = false;
            if (!RelayedCall.needsAnchoring(sdp, facts.source())) {
                bypassed = true;
                return body;
            }
        }
        if (placement == null && !placeWithStreams()) {
            log.warn("Call {}: no media node can take the call now; SDP from the {} relayed as it came", facts.id(),
                    fromCustomer ? "customer" : "vendor");
            return body;
        }
        int[] ports = new int[sdp.media().size()];
        for (int i = 0; i < sdp.media().size(); i++) {
            MediaDescription m = sdp.media().get(i);
            if (!m.rtp() || m.port() == 0) {
                continue;
            }
            Stream stream = stream(i);
            if (stream == null) {
                log.warn("Call {}: media node {} has no leased ports left; stream {} not anchored", facts.id(), placement.node(), i);
                return body;
            }
            Endpoint target = new Endpoint(sdp.connectionAddressOf(i), m.port());
            if (fromCustomer) {
                stream.customer = target;
            } else {
                stream.vendor = target;
            }
            stream.clockRate = m.firstClockRate();
            ports[i] = fromCustomer ? stream.vendorPort : stream.customerPort;
        }
        SessionDescription out = SdpAnchoring.anchor(sdp, placement.address(), ports, fromCustomer ? towardVendor : towardCustomer);
        // last: a control call that fails at once (no such peer) reports on this very loop and may drop the placement
        push();
        return new MessageBody(body.contentType(), out.bytes());
    }

    /** Places the call on a node and gives the streams it already had new ports there (a move after a loss). */
    private boolean placeWithStreams() {
        MediaNodes.Placement placed = nodes.place(this);
        if (placed == null) {
            return false;
        }
        int[] ports = streams.isEmpty() ? new int[0] : nodes.takePorts(placed.node(), 2 * streams.size());
        if (ports == null) {
            nodes.released(placed.node(), this);
            return false;
        }
        for (int i = 0; i < streams.size(); i++) {
            streams.get(i).customerPort = ports[2 * i];
            streams.get(i).vendorPort = ports[2 * i + 1];
        }
        if (!streams.isEmpty()) {
            log.info("Call {}: media re-anchored on node {}", facts.id(), placed.node());
        }
        placement = placed;
        return true;
    }

    private Stream stream(int index) {
        while (streams.size() <= index) {
            int[] ports = nodes.takePorts(placement.node(), 2);
            if (ports == null) {
                return null;
            }
            Stream s = new Stream();
            s.customerPort = ports[0];
            s.vendorPort = ports[1];
            streams.add(s);
        }
        return streams.get(index);
    }

    private void push() {
        String node = placement.node();
        List<StreamTargets> targets = streams.stream()
                .map(s -> new StreamTargets(s.customerPort, s.vendorPort, s.customer, s.vendor, s.clockRate)).toList();
        control.update(node, new SessionUpdate(facts.id(), ++revision, targets, answered)).whenComplete((load, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof MediaNodeControl.RefusedException refused) {
                log.warn("Call {}: media node {} refused the session: {}", facts.id(), node, refused.getMessage());
                mediaNodeLost(node);   // this call only: before answer the next SDP moves it, after answer it ends
            } else if (error != null) {
                nodes.failed(node, MediaNodes.describe(error));
            } else {
                nodes.answered(node, load);
            }
        });
    }
}
