package io.tandem.softswitch.media.relay;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.tandem.billing.cdr.CdrMediaStats;
import io.tandem.routing.Gateway;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.call.CallRejection;
import io.tandem.softswitch.call.MediaAnchor;
import io.tandem.softswitch.call.MessageBody;
import io.tandem.softswitch.media.sdp.MediaDescription;
import io.tandem.softswitch.media.sdp.MediaDirection;
import io.tandem.softswitch.media.sdp.SdpAnchoring;
import io.tandem.softswitch.media.sdp.SdpSyntaxException;
import io.tandem.softswitch.media.sdp.SessionDescription;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call whose media is anchored on the relay. For each RTP stream ({@code m=} line) it holds two
 * port pairs: one the customer sends to, one the vendor sends to. Every SDP that crosses the call
 * is rewritten so that each side sees only the relay, and tells the port pair facing its writer
 * where that side wants media (re-targeting on a re-INVITE/UPDATE, an early-media 183, a new
 * vendor's answer).
 *
 * <p>Threads: the {@link MediaAnchor} methods run on the call's SIP loop; they number ports and
 * rewrite SDP there and post everything that touches sockets or latches to the media loop that
 * owns all of the call's ports.
 *
 * <p>Media timeout: once answered, a check each second on the media loop; when no RTP arrived
 * from either side for the timeout (the hold timeout while any stream is not sendrecv) the
 * {@link Listener} is told once, and ends the call.
 */
public final class RelayedCall implements MediaAnchor {

    private static final Logger log = LoggerFactory.getLogger(RelayedCall.class);

    /** What the rest of the node hears from an anchored call. Called on the media loop; must not block. */
    public interface Listener {
        void mediaTimedOut(CallFacts call);

        void mediaEnded(CallFacts call, MediaStats stats);
    }

    private final MediaRelay relay;
    private final CallFacts facts;
    private final EventLoop loop;
    private final Listener listener;
    // [0] faces the customer, [1] the vendor; added on the SIP loop, read by the timeout check on the media loop
    private final List<RelayPort[]> streams = new CopyOnWriteArrayList<>();
    private final SdpAnchoring.Origin towardVendor;
    private final SdpAnchoring.Origin towardCustomer;
    private final MediaMode trunkMode;
    private MediaMode gatewayMode = MediaMode.BYPASS;
    private InetSocketAddress gatewayTarget;
    /** The next offer from the customer is a vendor attempt's first: whether to anchor is decided on it. */
    private boolean decide = true;
    /** Once anchored, a call stays anchored (the customer may already have the relay's address). */
    private boolean anchored;
    private CallRejection refusal;
    private final CompletableFuture<CdrMediaStats> figures = new CompletableFuture<>();
    private volatile boolean onHold;
    private volatile boolean closed;
    private long answeredNanos;
    private ScheduledFuture<?> timeoutCheck;

    RelayedCall(MediaRelay relay, CallFacts facts, Listener listener) {
        this(relay, facts, listener, MediaMode.RELAY);
    }

    RelayedCall(MediaRelay relay, CallFacts facts, Listener listener, boolean auto) {
        this(relay, facts, listener, auto ? MediaMode.AUTO : MediaMode.RELAY);
    }

    /** @param trunkMode the ingress trunk's media mode; each vendor gateway's adds to it ({@link #vendorChosen}) */
    RelayedCall(MediaRelay relay, CallFacts facts, Listener listener, MediaMode trunkMode) {
        this.trunkMode = trunkMode;
        this.relay = relay;
        this.facts = facts;
        this.loop = relay.nextLoop();
        this.listener = listener;
        long sessionId = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
        this.towardVendor = new SdpAnchoring.Origin(sessionId);
        this.towardCustomer = new SdpAnchoring.Origin(sessionId + 1);
    }

    /** Whether the call's media goes through the relay (decided on the offer toward each vendor until it does). */
    public boolean anchored() {
        return anchored;
    }

    @Override
    public void vendorChosen(Gateway gateway, InetSocketAddress target) {
        gatewayMode = modeOf(gateway);
        gatewayTarget = target;
        decide = true;
    }

    @Override
    public CallRejection refusal() {
        return refusal;
    }

    @Override
    public CompletionStage<CdrMediaStats> closed() {
        return figures;
    }

    @Override
    public MessageBody towardVendor(MessageBody fromCustomer) {
        return anchor(fromCustomer, 0);
    }

    @Override
    public MessageBody towardCustomer(MessageBody fromVendor) {
        return anchor(fromVendor, 1);
    }

    @Override
    public void answered() {
        if (!anchored) {
            return;
        }
        loop.execute(() -> {
            if (closed || timeoutCheck != null) {
                return;
            }
            answeredNanos = System.nanoTime();
            timeoutCheck = loop.scheduleAtFixedRate(this::checkTimeout, 1, 1, TimeUnit.SECONDS);
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!anchored) {
            figures.complete(null);
            return;
        }
        // a stream that found no port pair left a null behind
        List<RelayPort[]> all = streams.stream().filter(java.util.Objects::nonNull).toList();
        loop.execute(() -> {
            if (timeoutCheck != null) {
                timeoutCheck.cancel(false);
            }
            MediaStats total = MediaStats.NONE;
            for (RelayPort[] pair : all) {
                total = total.plus(new MediaStats(pair[0].stats(), pair[1].stats()));
                for (RelayPort p : pair) {
                    p.close();
                    relay.releasePort(p);
                }
            }
            relay.sessionClosed();
            figures.complete(total.forCdr());
            listener.mediaEnded(facts, total);
        });
    }

    /**
     * @param writer 0 when the body comes from the customer (its port pairs learn the target and the
     *               vendor-facing ports go into the body), 1 from the vendor
     */
    private MessageBody anchor(MessageBody body, int writer) {
        refusal = null;
        if (closed || body == null) {
            return body;
        }
        if (body.contentType() == null || !body.contentType().toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
            // an offer that is not SDP (multipart, ...) is the attempt's first body: the call is left as it is
            decide &= writer != 0;
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
            // the attempt's first SDP: the customer's offer, or the vendor's offer in its 18x/2xx to an INVITE without
            // one (late offer; the customer's answer then comes in its ACK)
            decide = false;
            if (!anchored && mustAnchor(writer == 0 ? sdp : null)) {
                anchored = true;
                relay.sessionOpened();
            }
        }
        if (!anchored) {
            return body;
        }
        if (sdp == null) {
            // Refused (488) by whoever sent it on: an offer is not sent on, an answer ends that vendor attempt (docs/media.md).
            log.warn("Call {}: SDP from the {} cannot be anchored: {}", facts.id(), writer == 0 ? "customer" : "vendor", unusable);
            refusal = new CallRejection.MediaNotAcceptable(unusable);
            return body;
        }
        int[] ports = new int[sdp.media().size()];
        boolean hold = false;
        for (int i = 0; i < sdp.media().size(); i++) {
            MediaDescription m = sdp.media().get(i);
            if (!m.rtp() || m.port() == 0) {
                continue;
            }
            RelayPort[] pair = stream(i);
            if (pair == null) {
                log.warn("Call {}: no free media port pair; stream {} not anchored", facts.id(), i);
                refusal = new CallRejection.NoMediaPorts();
                return body;
            }
            MediaDirection direction = sdp.directionOf(i);
            hold |= direction != MediaDirection.SENDRECV;
            InetSocketAddress target = target(sdp.connectionAddressOf(i), m.port());
            int clockRate = m.firstClockRate();
            RelayPort facing = pair[writer];
            loop.execute(() -> facing.expect(target, clockRate));
            ports[i] = pair[1 - writer].rtpPort;
        }
        onHold = hold;
        SessionDescription out = SdpAnchoring.anchor(sdp, relay.config().publicAddress(), ports,
                writer == 0 ? towardVendor : towardCustomer);
        return new MessageBody(body.contentType(), out.bytes());
    }

    private RelayPort[] stream(int index) {
        while (streams.size() <= index) {
            streams.add(null);
        }
        RelayPort[] pair = streams.get(index);
        if (pair == null) {
            RelayPort customerSide = relay.openPort(loop);
            if (customerSide == null) {
                return null;
            }
            RelayPort vendorSide = relay.openPort(loop);
            if (vendorSide == null) {
                loop.execute(() -> {
                    customerSide.close();
                    relay.releasePort(customerSide);
                });
                return null;
            }
            customerSide.pairWith(vendorSide);
            vendorSide.pairWith(customerSide);
            pair = new RelayPort[]{customerSide, vendorSide};
            streams.set(index, pair);
        }
        return pair;
    }

    /**
     * A call is anchored when its trunk or the gateway of this attempt asks: {@code relay} always, a trunk's
     * {@code auto} when the customer's offer needs it ({@link #needsAnchoring}; an offer that does not parse cannot
     * be vouched for), a gateway's {@code auto} when the address it resolved to is not public ({@link #unreachable}).
     */
    private boolean mustAnchor(SessionDescription customerOffer) {
        return mustAnchor(trunkMode, gatewayMode, customerOffer, facts.source(), gatewayTarget);
    }

    /**
     * The rule of {@link #mustAnchor(SessionDescription)}, shared with calls anchored on remote media nodes.
     *
     * @param customerOffer  the customer's offer, {@code null} when there is none or it does not parse
     * @param gatewayTarget  the address the attempt's gateway resolved to, {@code null} when not known yet
     */
    public static boolean mustAnchor(MediaMode trunkMode, MediaMode gatewayMode, SessionDescription customerOffer,
                                     InetSocketAddress customerSource, InetSocketAddress gatewayTarget) {
        return trunkMode == MediaMode.RELAY || gatewayMode == MediaMode.RELAY
                || trunkMode == MediaMode.AUTO && (customerOffer == null || needsAnchoring(customerOffer, customerSource))
                || gatewayMode == MediaMode.AUTO && (gatewayTarget == null || unreachable(gatewayTarget.getAddress()));
    }

    /** A vendor gateway's media mode ({@code bypass} when it names none). */
    public static MediaMode modeOf(Gateway gateway) {
        return gateway.mediaMode() == null ? MediaMode.BYPASS : MediaMode.ofCode(gateway.mediaMode());
    }

    /** Private (RFC 1918), CGNAT (RFC 6598), loopback, link-local or unspecified: not reachable from the public internet. */
    public static boolean unreachable(InetAddress a) {
        byte[] b = a.getAddress();
        boolean cgnat = b.length == 4 && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
        return a.isSiteLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || cgnat;
    }

    /** Where the SDP says media goes; null for 0.0.0.0 (RFC 3264 §8.4 hold) or a name we will not resolve. */
    static InetSocketAddress target(String address, int port) {
        if (address == null || address.equals("0.0.0.0") || address.equals("::")) {
            return null;
        }
        if (!Character.isDigit(address.charAt(0)) && address.indexOf(':') < 0) {
            return null; // a host name in c= would need DNS on the loop; latching finds the peer instead
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            return null; // literal that is not an address (e.g. 999.1.1.1): latching finds the peer instead
        }
    }

    /**
     * Mode {@code auto}: media can flow end to end only if every stream's address is public and is the
     * address the customer's signalling came from; a private (RFC 1918), CGNAT (RFC 6598), loopback,
     * link-local or unparseable address, or a different one, means a NAT or a media server we cannot vouch for.
     */
    public static boolean needsAnchoring(SessionDescription sdp, InetSocketAddress signallingSource) {
        for (int i = 0; i < sdp.media().size(); i++) {
            MediaDescription m = sdp.media().get(i);
            if (!m.rtp() || m.port() == 0) {
                continue;
            }
            InetSocketAddress target = target(sdp.connectionAddressOf(i), m.port());
            if (target == null || signallingSource == null) {
                return true;
            }
            InetAddress a = target.getAddress();
            if (unreachable(a) || !a.equals(signallingSource.getAddress())) {
                return true;
            }
        }
        return false;
    }

    private void checkTimeout() {
        long last = answeredNanos;
        for (RelayPort[] pair : streams) {
            if (pair != null) {
                last = Math.max(last, Math.max(pair[0].lastPacketNanos, pair[1].lastPacketNanos));
            }
        }
        long limit = (onHold ? relay.config().holdTimeout() : relay.config().timeout()).toNanos();
        if (System.nanoTime() - last >= limit && !closed) {
            timeoutCheck.cancel(false);
            relay.counters().timeouts.increment();
            listener.mediaTimedOut(facts);
        }
    }
}
