package io.tandem.softswitch.media.remote;

import io.tandem.billing.cdr.CdrMediaStats;
import io.tandem.routing.Gateway;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.call.CallRejection;
import io.tandem.softswitch.call.MediaAnchor;
import io.tandem.softswitch.call.MessageBody;
import io.tandem.softswitch.media.relay.MediaStats;
import io.tandem.softswitch.media.relay.RelayedCall;
import io.tandem.softswitch.media.remote.MediaNodeControl.Endpoint;
import io.tandem.softswitch.media.remote.MediaNodeControl.SessionUpdate;
import io.tandem.softswitch.media.remote.MediaNodeControl.StreamTargets;
import io.tandem.softswitch.media.sdp.MediaDescription;
import io.tandem.softswitch.media.sdp.MediaDirection;
import io.tandem.softswitch.media.sdp.SdpAnchoring;
import io.tandem.softswitch.media.sdp.SdpSyntaxException;
import io.tandem.softswitch.media.sdp.SessionDescription;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call whose media is anchored on a remote media node. The SDP is rewritten here, on the call's
 * SIP loop, with ports leased from the node ahead of time ({@link MediaNodes#takePorts}); the
 * targets the SDP names go to the node afterwards ({@link MediaNodeControl#update}), never waited for on
 * the loop. Only the customer's 200 waits, off the loop, for the node to acknowledge the latest update
 * ({@link #ready()}): before that the node could not relay the first words after answer.
 *
 * <p>Refusals as on the local relay: an SDP that does not parse when the call must be anchored is refused
 * (488), and so is one that finds no media node or no leased port pair (503, "no free media port").
 *
 * <p>Whether to anchor is decided on the offer toward each vendor attempt, as on a node with its own relay: the
 * call is anchored when its trunk or the gateway of the attempt asks ({@link #mustAnchor}); once anchored it stays
 * anchored for its later attempts and re-INVITEs.
 *
 * <p>When the node is lost: before answer, the next SDP that crosses the call (the answer, a 183,
 * the offer to the next vendor) places the call on another node with new ports, and both sides'
 * known targets go there; after answer, the {@link Listener} ends the call ({@code media node lost}).
 *
 * <p>Media timeout and figures: each update tells the node the silence limit (the media timeout, or the hold
 * timeout while a stream is held); the node reports an answered call silent that long in its next status
 * answer ({@link #mediaSilent}), and the {@link Listener} ends the call ({@code media timeout}). The release's
 * answer carries the call's packets, octets, loss and jitter each way, for its CDR ({@link #closed()}).
 */
public final class RemoteRelayedCall implements MediaAnchor, MediaNodes.Member {

    private static final Logger log = LoggerFactory.getLogger(RemoteRelayedCall.class);

    /** What the node hears from a remote-anchored call; must not block. */
    public interface Listener {
        /** The media node of an answered call was lost: end the call. On the call's SIP loop. */
        void mediaNodeLost(CallFacts call, String node);

        /** The media node saw no RTP either way for the media (or hold) timeout: end the call. On the call's SIP loop. */
        default void mediaTimedOut(CallFacts call) {
        }

        /** The media node's figures for the ended call (metrics). On whichever thread the node's answer arrived. */
        default void mediaEnded(CallFacts call, MediaStats stats) {
        }
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
    private final MediaMode trunkMode;
    private MediaMode gatewayMode = MediaMode.BYPASS;
    private InetSocketAddress gatewayTarget;
    /** The next offer from the customer is a vendor attempt's first: whether to anchor is decided on it. */
    private boolean decide = true;
    /** Once anchored, a call stays anchored (the customer may already have the media node's address). */
    private boolean anchored;
    private boolean answered;
    private boolean closed;
    private MediaNodes.Placement placement;
    private long revision;
    private final Duration timeout;
    private final Duration holdTimeout;
    private boolean onHold;
    private boolean timedOut;
    /** Why the SDP that last crossed could not be anchored although the call must be; null when it crossed. */
    private CallRejection refusal;
    /** The customer's last SDP toward the vendor, as it came, and the node the vendor was told of in it. */
    private MessageBody lastFromCustomer;
    private String nodeOfferedToVendor;
    private final CompletableFuture<CdrMediaStats> figures = new CompletableFuture<>();
    /** Completes when the node answered the latest update (or it failed). */
    private CompletableFuture<Void> lastPush = CompletableFuture.completedFuture(null);

    /** A call of a trunk in mode {@code auto} (or else {@code relay}), with the default timeouts. */
    public RemoteRelayedCall(MediaNodes nodes, MediaNodeControl control, CallFacts facts, TransactionExecutor loop, Listener listener,
                             boolean auto) {
        this(nodes, control, facts, loop, listener, auto ? MediaMode.AUTO : MediaMode.RELAY, Duration.ofSeconds(60), Duration.ofHours(1));
    }

    /**
     * @param trunkMode   the ingress trunk's media mode; each vendor gateway's adds to it ({@link #vendorChosen})
     * @param timeout     no RTP either way this long after answer ends the call ({@code tandem.media.timeout})
     * @param holdTimeout the same while a stream is held ({@code tandem.media.hold-timeout})
     */
    public RemoteRelayedCall(MediaNodes nodes, MediaNodeControl control, CallFacts facts, TransactionExecutor loop, Listener listener,
                             MediaMode trunkMode, Duration timeout, Duration holdTimeout) {
        this.trunkMode = trunkMode;
        this.timeout = timeout;
        this.holdTimeout = holdTimeout;
        this.nodes = nodes;
        this.control = control;
        this.facts = facts;
        this.loop = loop;
        this.listener = listener;
        long sessionId = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
        this.towardVendor = new SdpAnchoring.Origin(sessionId);
        this.towardCustomer = new SdpAnchoring.Origin(sessionId + 1);
    }

    @Override
    public UUID call() {
        return facts.id();
    }

    /** The media node the call is anchored on now, or null. */
    public String node() {
        return placement == null ? null : placement.node();
    }

    /** Whether the call's media goes through a media node (decided on the offer toward each vendor until it does). */
    public boolean anchored() {
        return anchored;
    }

    @Override
    public void vendorChosen(Gateway gateway, InetSocketAddress target) {
        gatewayMode = RelayedCall.modeOf(gateway);
        gatewayTarget = target;
        decide = true;
    }

    @Override
    public MessageBody towardVendor(MessageBody fromCustomer) {
        return anchor(fromCustomer, true);
    }

    /**
     * The vendor's offer named a node the call has since left (lost before answer, the call moved at the vendor's
     * answer or a 183): the same offer again, naming the node the call is on now, for a re-INVITE after answer.
     * Before answer there is no sound way to tell the vendor (see docs/media.md, "Media nodes").
     */
    @Override
    public MessageBody reofferTowardVendor() {
        if (closed || !answered || placement == null || lastFromCustomer == null || nodeOfferedToVendor == null
                || nodeOfferedToVendor.equals(placement.node())) {
            return null;
        }
        log.info("Call {}: the vendor was offered media node {}, lost before answer; re-offering node {}", facts.id(),
                nodeOfferedToVendor, placement.node());
        return towardVendor(lastFromCustomer);
    }

    /** The node acknowledged the latest update (or it failed, or the call is not on a node): media may flow. */
    @Override
    public CompletionStage<Void> ready() {
        return closed || placement == null ? CompletableFuture.completedFuture(null) : lastPush;
    }

    @Override
    public CallRejection refusal() {
        return refusal;
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
    public CompletionStage<CdrMediaStats> closed() {
        return figures;
    }

    /** Ends the session on its node, whose answer carries the call's media figures (null when not anchored or the node is gone). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (placement == null) {
            figures.complete(null);
            return;
        }
        String node = placement.node();
        nodes.released(node, this);
        placement = null;
        control.release(node, facts.id()).whenComplete((released, error) -> {
            if (error != null) {
                nodes.failed(node, MediaNodes.describe(error));
                figures.complete(null);
                return;
            }
            nodes.answered(node, released.load());
            if (released.stats() != null) {
                listener.mediaEnded(facts, released.stats());
            }
            figures.complete(released.stats() == null ? null : released.stats().forCdr());
        });
    }

    @Override
    public void mediaSilent(String node) {
        loop.execute(() -> {
            if (closed || !answered || timedOut || placement == null || !placement.node().equals(node)) {
                return;
            }
            timedOut = true;
            log.info("Call {}: media node {} saw no RTP either way for the {} timeout; ending the call", facts.id(), node,
                    onHold ? "hold" : "media");
            listener.mediaTimedOut(facts);
        });
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
        refusal = null;
        if (closed || body == null) {
            return body;
        }
        if (body.contentType() == null || !body.contentType().toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
            // an offer that is not SDP (multipart, ...) is the attempt's first body: the call is left as it is
            decide &= !fromCustomer;
            return body;
        }
        SessionDescription sdp = null;
        String unusable = null;
        try {
            sdp = SessionDescription.parse(body.content());
        } catch (SdpSyntaxException e) {
            unusable = e.getMessage();
        }
        if (decide) {
            // the attempt's first SDP: the customer's offer, or the vendor's offer in its answer to an INVITE without one
            decide = false;
            anchored |= mustAnchor(fromCustomer ? sdp : null);
        }
        if (!anchored) {
            return body;
        }
        if (sdp == null) {
            // the local relay's refusal (docs/media.md "Refusals"): an offer is not sent on, an answer ends that attempt
            log.warn("Call {}: SDP from the {} cannot be anchored: {}", facts.id(), fromCustomer ? "customer" : "vendor", unusable);
            refusal = new CallRejection.MediaNotAcceptable(unusable);
            return body;
        }
        if (placement == null && !placeWithStreams()) {
            log.warn("Call {}: no media node can take the call now; SDP from the {} refused", facts.id(),
                    fromCustomer ? "customer" : "vendor");
            refusal = new CallRejection.NoMediaPorts();
            return body;
        }
        int[] ports = new int[sdp.media().size()];
        boolean hold = false;
        for (int i = 0; i < sdp.media().size(); i++) {
            MediaDescription m = sdp.media().get(i);
            if (!m.rtp() || m.port() == 0) {
                continue;
            }
            Stream stream = stream(i);
            if (stream == null) {
                log.warn("Call {}: media node {} has no leased ports left; stream {} cannot be anchored", facts.id(), placement.node(), i);
                refusal = new CallRejection.NoMediaPorts();
                return body;
            }
            hold |= sdp.directionOf(i) != MediaDirection.SENDRECV;
            Endpoint target = new Endpoint(sdp.connectionAddressOf(i), m.port());
            if (fromCustomer) {
                stream.customer = target;
            } else {
                stream.vendor = target;
            }
            stream.clockRate = m.firstClockRate();
            ports[i] = fromCustomer ? stream.vendorPort : stream.customerPort;
        }
        onHold = hold;
        SessionDescription out = SdpAnchoring.anchor(sdp, placement.address(), ports, fromCustomer ? towardVendor : towardCustomer);
        if (fromCustomer) {
            lastFromCustomer = body;
            nodeOfferedToVendor = placement.node();
        }
        // last: a control call that fails at once (no such peer) reports on this very loop and may drop the placement
        push();
        return new MessageBody(body.contentType(), out.bytes());
    }

    /**
     * A call is anchored when its trunk or the gateway of this attempt asks: {@code relay} always, a trunk's
     * {@code auto} when the customer's offer needs it ({@link RelayedCall#needsAnchoring}; without one, the customer's
     * media cannot be vouched for), a gateway's {@code auto} when the address it resolved to is not public
     * ({@link RelayedCall#unreachable}). The local relay's rule ({@link RelayedCall#mustAnchor(MediaMode, MediaMode,
     * SessionDescription, InetSocketAddress, InetSocketAddress)}).
     */
    private boolean mustAnchor(SessionDescription customerOffer) {
        return RelayedCall.mustAnchor(trunkMode, gatewayMode, customerOffer, facts.source(), gatewayTarget);
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
        CompletableFuture<MediaNodeControl.NodeLoad> sent = control.update(node, new SessionUpdate(facts.id(), ++revision, targets,
                answered, (onHold ? holdTimeout : timeout).toMillis()));
        // the latest update carries the whole session (an older revision that arrives later is ignored by the node)
        lastPush = sent.handle((load, error) -> null);
        sent.whenComplete((load, error) -> {
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
