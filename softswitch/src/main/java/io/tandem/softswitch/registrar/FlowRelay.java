package io.tandem.softswitch.registrar;

import io.tandem.softswitch.sip.SipEndpoint;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.SipUri;
import io.tandem.softswitch.sip.message.Via;
import io.tandem.softswitch.sip.transport.SipDestination;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The holder node's half of a call to a registered contact whose flow it holds while another node carries
 * the call (docs/registrations.md). A NAT lets packets in only from where the REGISTER went, so the node
 * that got the call sends its B-leg INVITE to the holder with a preloaded Route naming the holder and the
 * flow, sealed with the cluster key:
 *
 * <pre>
 * Route: &lt;sip:10.0.0.11:5060;lr;tandem-flow=192.0.2.7~5062~&lt;seal&gt;&gt;
 * </pre>
 *
 * The holder is then a stateless proxy (RFC 3261 §16.11) for that dialog: it stamps the sender's Via with
 * {@code received}/{@code rport}, removes its Route, adds its own Via (a branch derived from the incoming
 * one, so retransmissions and the CANCEL get the same), record-routes the dialog-creating INVITE with the
 * same flow, and sends from its SIP socket, the one the REGISTER came in on, to the flow. In-dialog
 * requests come back through it the same way in both directions: from the flow they go to the next Route or
 * the Request-URI (the calling node's Contact), from anywhere else to the flow. Responses with its Via
 * lose it and go to the next Via. Nothing is kept per call.
 *
 * <p>Only a route whose seal verifies is followed, so nobody without the cluster key can use a node to
 * reach someone else's registered flow; a dialog-creating request is relayed only while the flow is
 * registered. Thread-safe; runs on the loop that read the message.
 */
final class FlowRelay {
    private static final Logger log = LoggerFactory.getLogger(FlowRelay.class);

    static final String FLOW_PARAM = "tandem-flow";
    /** Marks the Record-Route entry that faces the flow (the contact's first route): requests through it come from the contact. */
    static final String FACES_PARAM = "tandem-faces";
    static final String FACES_FLOW = "flow";
    /** Our Via branches on relayed requests: RFC 3261 magic cookie, then a mark that the relay owns them. */
    static final String BRANCH_PREFIX = Via.MAGIC_COOKIE + "-tflow-";
    private static final int SEAL_CHARACTERS = 22;
    private static final java.util.regex.Pattern LITERAL = java.util.regex.Pattern.compile("[0-9.]{7,15}|[0-9a-fA-F:.]{2,45}");

    private final ClusterEventSeal seal;
    private final SipEndpoint sip;
    private final Predicate<InetAddress> registered;
    private final String nodeId;
    private final LongAdder relayed = new LongAdder();
    private final LongAdder refusedSeal = new LongAdder();
    private final LongAdder refusedNotRegistered = new LongAdder();
    private final LongAdder flowClosed = new LongAdder();
    private final LongAdder refusedNotFromFlow = new LongAdder();

    /** A registered contact's flow: where it registered from, and over what (TCP/TLS: on that connection only). */
    record Flow(InetSocketAddress address, SipTransport transport) {
    }

    /** What the relay did so far (metrics). */
    record Counts(long relayed, long refusedSeal, long refusedNotRegistered, long flowClosed, long refusedNotFromFlow) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0);
    }

    /**
     * @param registered whether a registered contact sends from this address now (dialog-creating requests
     *                   are relayed only to such a flow)
     */
    FlowRelay(ClusterEventSeal seal, SipEndpoint sip, Predicate<InetAddress> registered) {
        this(seal, sip, registered, "tandem");
    }

    FlowRelay(ClusterEventSeal seal, SipEndpoint sip, Predicate<InetAddress> registered, String nodeId) {
        this.seal = seal;
        this.sip = sip;
        this.registered = registered;
        this.nodeId = nodeId;
    }

    Counts counts() {
        return new Counts(relayed.sum(), refusedSeal.sum(), refusedNotRegistered.sum(), flowClosed.sum(), refusedNotFromFlow.sum());
    }

    /** The Route a node puts on a B-leg INVITE so that the holder at {@code holderHost:holderPort} relays it to {@code flow}. */
    String routeVia(String holderHost, int holderPort, InetSocketAddress flow) {
        return routeVia(holderHost, holderPort, new Flow(flow, SipTransport.UDP));
    }

    String routeVia(String holderHost, int holderPort, Flow flow) {
        return "<" + SipUri.sip(null, holderHost, holderPort).withParam("lr", null).withParam(FLOW_PARAM, token(flow)) + ">";
    }

    String token(InetSocketAddress flow) {
        return token(new Flow(flow, SipTransport.UDP));
    }

    /**
     * {@code ip~port~seal} for a UDP flow, {@code ip~port~tcp~seal} (or {@code tls}) for a connection: the seal is a
     * truncated HMAC-SHA256 of what precedes it with the cluster key.
     */
    String token(Flow flow) {
        String where = flow.address().getAddress().getHostAddress() + "~" + flow.address().getPort()
                + (flow.transport() == SipTransport.UDP ? "" : "~" + flow.transport().name().toLowerCase(java.util.Locale.ROOT));
        return where + "~" + sealOf(where);
    }

    private String sealOf(String where) {
        String full = seal.seal(("tandem-flow:" + where).getBytes(StandardCharsets.UTF_8));
        return full.substring(full.indexOf('=') + 1, full.indexOf('=') + 1 + SEAL_CHARACTERS);
    }

    /** The flow a sealed token names, or empty when it does not verify. */
    Optional<InetSocketAddress> flowOf(String token) {
        return sealedFlow(token).map(Flow::address);
    }

    /** The flow and its transport a sealed token names, or empty when it does not verify. */
    Optional<Flow> sealedFlow(String token) {
        int last = token == null ? -1 : token.lastIndexOf('~');
        int first = token == null ? -1 : token.indexOf('~');
        if (first <= 0 || last <= first) {
            return Optional.empty();
        }
        String where = token.substring(0, last);
        byte[] claimed = token.substring(last + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(sealOf(where).getBytes(StandardCharsets.US_ASCII), claimed)) {
            return Optional.empty();
        }
        String ip = token.substring(0, first);
        if (!LITERAL.matcher(ip).matches()) {
            return Optional.empty();
        }
        String rest = token.substring(first + 1, last);
        SipTransport transport = SipTransport.UDP;
        int tilde = rest.indexOf('~');
        if (tilde >= 0) {
            transport = switch (rest.substring(tilde + 1)) {
                case "tcp" -> SipTransport.TCP;
                case "tls" -> SipTransport.TLS;
                default -> null;
            };
            if (transport == null) {
                return Optional.empty();
            }
            rest = rest.substring(0, tilde);
        }
        try {
            int port = Integer.parseInt(rest);
            // an IP literal (checked above, and sealed by us): getByName looks nothing up
            return Optional.of(new Flow(new InetSocketAddress(InetAddress.getByName(ip), port), transport));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether this request's top Route is a relay route (this node's to follow or to refuse). */
    static boolean routed(SipRequest request) {
        String route = request.headers().first(HeaderName.ROUTE);
        if (route == null || !route.contains(FLOW_PARAM)) {
            return false;
        }
        List<Address> routes = request.routes();
        return !routes.isEmpty() && routes.getFirst().uri() != null && routes.getFirst().uri().params().has(FLOW_PARAM);
    }

    /**
     * Relays a request whose top Route is a relay route ({@link #routed}); drops it when the route's seal
     * does not verify or (dialog-creating) the flow is not registered here now.
     *
     * <p>Which way it goes: a request that names the Record-Route entry facing the flow ({@code tandem-faces=flow},
     * the first of the contact's route set) comes from the contact and goes towards the caller, whatever connection
     * or transport it came on, provided it comes from the flow's address (its port may differ: a new connection, or
     * UDP); a request that names the other entry (or the preloaded route) goes to the flow, unless it comes from the
     * flow itself (a dialog record-routed once, before double record-routing).
     */
    void relay(SipRequest request, InetSocketAddress source) {
        List<Address> routes = request.routes();
        Address top = routes.isEmpty() ? null : routes.getFirst();
        String token = top == null || top.uri() == null ? null : top.uri().params().get(FLOW_PARAM);
        Optional<Flow> sealed = sealedFlow(token);
        boolean creates = request.to().tag() == null && !SipRequest.CANCEL.equals(request.method()) && !request.isAck();
        if (sealed.isEmpty()) {
            refusedSeal.increment();
            log.debug("not relaying {} {}: route seal does not verify", request.method(), request.callId());
            return;
        }
        Flow flow = sealed.get();
        if (creates && !registered.test(flow.address().getAddress())) {
            refusedNotRegistered.increment();
            log.debug("not relaying {} {}: flow not registered", request.method(), request.callId());
            return;
        }
        if (request.maxForwards() == 0) {
            refusedNotRegistered.increment();
            return;
        }
        boolean fromFlow;
        if (FACES_FLOW.equals(top.uri().params().get(FACES_PARAM))) {
            // Only the contact itself may come in through the entry facing it, and only inside a dialog (a route set is
            // a dialog's): from there a request goes wherever its Request-URI says, which nobody may use the holder for.
            if (creates || source == null || !source.getAddress().equals(flow.address().getAddress())) {
                refusedNotFromFlow.increment();
                log.debug("not relaying {} {}: it names the route facing the flow but comes from {}", request.method(),
                        request.callId(), source);
                return;
            }
            fromFlow = true;
        } else {
            fromFlow = source != null && source.equals(flow.address());
        }
        if (!fromFlow && flow.transport() != SipTransport.UDP && !sip.connectionOpen(flow.transport(), flow.address())) {
            flowClosed.increment();
            if (creates && request.isInvite() && source != null) {
                // §16.7 step 10 leaves a stateless proxy no 408; a 480 tells the calling node at once, and why
                String why = "the " + flow.transport() + " connection the contact registered on is closed";
                log.info("not relaying INVITE {}: {}", request.callId(), why);
                sip.sendStateless(Registrar.warned(request.createResponse(480), nodeId, why).build(),
                        SipDestination.udp(literal(source), source.getPort()), sip.executorFor(request.callId()));
            }
            return;
        }
        // RFC 5658 §3.3: both entries this node record-routed are its own; the next hop is the one after them
        int own = 1;
        if (routes.size() > 1 && routes.get(1).uri() != null && token.equals(routes.get(1).uri().params().get(FLOW_PARAM))) {
            own = 2;
        }
        SipRequest.Builder b = request.copy();
        for (int i = 0; i < own; i++) {
            b.removeFirstValue(HeaderName.ROUTE);
        }
        b.replaceFirstValue(HeaderName.VIA, request.topVia().stampedWithSource(source).toString())
                .maxForwards(request.maxForwards() < 0 ? 69 : request.maxForwards() - 1);
        SipTransport outgoing = fromFlow ? SipTransport.UDP : flow.transport();
        Via ours = sip.newVia(outgoing);
        Via relayVia = Via.of(outgoing.name(), ours.host(), ours.port(), BRANCH_PREFIX + derivedBranch(request.topVia().branch()))
                .withParam("rport", null);
        if (fromFlow) {
            SipTransport arrived = arrivedOver(source);
            if (arrived != SipTransport.UDP) {
                // RFC 3261 §18.2.2: the answer goes back on the connection the request came on (the registered one or
                // a new one), which the answer's Vias cannot name
                relayVia = relayVia.withParam(FLOW_PARAM, source.equals(flow.address()) && arrived == flow.transport()
                        ? token : token(new Flow(source, arrived)));
            }
        }
        b.via(relayVia);
        if (creates && request.isInvite()) {
            recordRoute(b, flow, token);
        }
        SipDestination next;
        if (fromFlow) {
            SipUri toward = routes.size() > own ? routes.get(own).uri() : request.requestUri();
            next = SipDestination.udp(toward.host(), toward.port() < 0 ? 5060 : toward.port());
        } else {
            next = SipDestination.flow(flow.transport(), flow.address());
        }
        relayed.increment();
        sip.sendStateless(b.build(), next, sip.executorFor(request.callId()));
    }

    /**
     * RFC 5658 double record-routing: the entry the calling node sees last (it reverses the set) faces it, over UDP;
     * the entry the contact sees first faces the flow, with the holder's listener of the flow's transport, so that a
     * contact that opens a new connection (or a UDP one that sends from another port) still reaches the holder, and
     * is known by {@code tandem-faces=flow} to come from the flow.
     */
    private void recordRoute(SipRequest.Builder b, Flow flow, String token) {
        Via udp = sip.newVia(SipTransport.UDP);
        b.pushHeader(HeaderName.RECORD_ROUTE, "<" + SipUri.sip(null, udp.host(), udp.port()).withParam("lr", null)
                .withParam(FLOW_PARAM, token) + ">");
        Via facing = flow.transport() == SipTransport.UDP ? udp : sip.newVia(flow.transport());
        SipUri towardFlow = SipUri.sip(null, facing.host(), facing.port());
        if (flow.transport() != SipTransport.UDP) {
            towardFlow = towardFlow.withParam("transport", flow.transport().name().toLowerCase(java.util.Locale.ROOT));
        }
        b.pushHeader(HeaderName.RECORD_ROUTE, "<" + towardFlow.withParam("lr", null).withParam(FLOW_PARAM, token)
                .withParam(FACES_PARAM, FACES_FLOW) + ">");
    }

    /** The transport a request from {@code source} came over: a stream when a connection from there is open, else UDP. */
    private SipTransport arrivedOver(InetSocketAddress source) {
        if (sip.connectionOpen(SipTransport.TLS, source)) {
            return SipTransport.TLS;
        }
        return sip.connectionOpen(SipTransport.TCP, source) ? SipTransport.TCP : SipTransport.UDP;
    }

    /** Whether a response carries this relay's Via on top (then it is the relay's to forward). */
    static boolean relayedResponse(SipResponse response) {
        Via top = response.vias().isEmpty() ? null : response.topVia();
        return top != null && top.branch() != null && top.branch().startsWith(BRANCH_PREFIX);
    }

    /** RFC 3261 §16.7 step 3 / §18.2.2: the response loses our Via and goes where the next Via says. */
    void relay(SipResponse response) {
        if (response.vias().size() < 2) {
            refusedNotRegistered.increment();
            return;
        }
        String flowToken = response.topVia().params().get(FLOW_PARAM);
        if (flowToken != null) {
            Optional<Flow> flow = sealedFlow(flowToken);
            if (flow.isEmpty()) {
                refusedSeal.increment();
                return;
            }
            relayed.increment();
            sip.sendStateless(response.copy().removeFirstValue(HeaderName.VIA).build(), SipDestination.flow(flow.get().transport(),
                    flow.get().address()), sip.executorFor(response.callId()));
            return;
        }
        Via next = response.vias().get(1);
        String host = next.received() != null ? next.received() : next.host();
        int port = next.rport() > 0 ? next.rport() : next.port() > 0 ? next.port() : 5060;
        relayed.increment();
        sip.sendStateless(response.copy().removeFirstValue(HeaderName.VIA).build(), SipDestination.udp(host, port),
                sip.executorFor(response.callId()));
    }

    private static String literal(InetSocketAddress address) {
        String ip = address.getAddress().getHostAddress();
        return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }

    /** §16.11: the same incoming branch always gives the same outgoing one (retransmissions, CANCEL). */
    private static String derivedBranch(String incoming) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((incoming == null ? "" : incoming).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }
}
