package io.tandem.softswitch.sip.dialog;

import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.CSeq;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.SipUri;
import io.tandem.softswitch.sip.transport.SipDestination;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One side's state of a SIP dialog (RFC 3261 §12): Call-ID, local and remote tag, remote target,
 * route set and local CSeq. Built from the request and response that created it; every request
 * we send inside the dialog is built here, so it carries the Route headers that the proxies on
 * the path asked for with Record-Route (§12.2.1.1), and requests that arrive are matched on
 * Call-ID and both tags ({@link #matches}), not on Call-ID alone.
 *
 * <p>Not thread-safe: a dialog belongs to one event loop, like the call that owns it.
 */
public final class Dialog {

    private final String callId;
    private final Address local;
    private final Address remote;
    private SipUri remoteTarget;
    private final List<Address> routeSet;
    private long localCseq;

    private Dialog(String callId, Address local, Address remote, SipUri remoteTarget, List<Address> routeSet, long localCseq) {
        this.callId = Objects.requireNonNull(callId, "callId");
        this.local = local;
        this.remote = remote;
        this.remoteTarget = remoteTarget;
        this.routeSet = List.copyOf(routeSet);
        this.localCseq = localCseq;
    }

    /**
     * The UAS side (§12.1.1): the route set is the request's Record-Route in order, the remote
     * target its Contact (the From URI when it has none), our tag the one our responses carry.
     */
    public static Dialog asServer(SipRequest request, String localTag) {
        Address local = request.to().withTag(localTag);
        SipUri target = contactOf(request);
        return new Dialog(request.callId(), local, request.from(), target != null ? target : request.from().uri(),
                request.recordRoutes(), 0);
    }

    /**
     * The UAC side (§12.1.2): the route set is the response's Record-Route in reverse order, the
     * remote target its Contact (the Request-URI when it has none), the remote tag its To tag.
     */
    public static Dialog asClient(SipRequest request, SipResponse response) {
        List<Address> reversed = new ArrayList<>(response.recordRoutes());
        java.util.Collections.reverse(reversed);
        SipUri target = contactOf(response);
        return new Dialog(request.callId(), request.from(), response.to(), target != null ? target : request.requestUri(),
                reversed, request.cseq().sequence());
    }

    public String callId() {
        return callId;
    }

    public String localTag() {
        return local.tag();
    }

    public String remoteTag() {
        return remote.tag();
    }

    public SipUri remoteTarget() {
        return remoteTarget;
    }

    public List<Address> routeSet() {
        return routeSet;
    }

    public long localCseq() {
        return localCseq;
    }

    /**
     * Whether a request belongs to this dialog (§12.2.2): same Call-ID, its To tag is ours and its
     * From tag is the remote one. Anything else is answered {@code 481} by the caller.
     */
    public boolean matches(SipRequest request) {
        return callId.equals(request.callId()) && Objects.equals(local.tag(), request.to().tag())
                && Objects.equals(remote.tag(), request.from().tag());
    }

    /** §12.2.1.2 / RFC 3261 §14.1: a 2xx to a re-INVITE or an UPDATE with a Contact moves the remote target. */
    public void refreshTarget(SipMessage message) {
        SipUri target = contactOf(message);
        if (target != null) {
            remoteTarget = target;
        }
    }

    /**
     * A new request in this dialog (§12.2.1.1) with the next local CSeq: Request-URI and Route
     * from the remote target and the route set (loose routing when the first route has
     * {@code lr}, else the strict-routing form). The caller adds Via, Max-Forwards and the rest.
     */
    public SipRequest.Builder newRequest(String method) {
        return request(method, ++localCseq);
    }

    /** The ACK of a 2xx to our INVITE with CSeq number {@code cseq} (§13.2.2.4): same routes, CSeq method ACK. */
    public SipRequest.Builder newAck(long cseq) {
        return request(SipRequest.ACK, cseq);
    }

    private SipRequest.Builder request(String method, long cseq) {
        SipUri requestUri;
        List<Address> routes;
        if (routeSet.isEmpty() || routeSet.get(0).uri() == null || routeSet.get(0).uri().params().has("lr")) {
            requestUri = remoteTarget;
            routes = routeSet;
        } else {
            // Strict routing (RFC 2543 proxies): the first route becomes the Request-URI, the remote target the last Route.
            requestUri = routeSet.get(0).uri();
            routes = new ArrayList<>(routeSet.subList(1, routeSet.size()));
            routes.add(Address.of(remoteTarget));
        }
        SipRequest.Builder b = SipRequest.builder(method, requestUri)
                .from(local)
                .to(remote)
                .callId(callId)
                .cseq(new CSeq(cseq, method));
        for (Address route : routes) {
            b.addHeader(HeaderName.ROUTE, route.toString());
        }
        return b;
    }

    /**
     * Where a request of this dialog goes first (RFC 3261 §8.1.2 with RFC 3263): the first route when
     * there is a route set, otherwise empty and the caller sends where the dialog's peer is (the
     * packet source of the customer, the vendor's resolved target).
     */
    public java.util.Optional<SipDestination> firstHop(SipTransport defaultTransport) {
        if (routeSet.isEmpty() || routeSet.get(0).uri() == null || routeSet.get(0).uri().host() == null) {
            return java.util.Optional.empty();
        }
        SipUri hop = routeSet.get(0).uri();
        String transport = hop.params().get("transport");
        SipTransport t = defaultTransport;
        if (transport != null) {
            try {
                t = SipTransport.valueOf(transport.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                t = defaultTransport;
            }
        }
        if (hop.isSips()) {
            t = SipTransport.TLS;
        }
        return java.util.Optional.of(new SipDestination(t, hop.host(), hop.port()));
    }

    private static SipUri contactOf(SipMessage message) {
        List<Address> contacts = message.contacts();
        return contacts.isEmpty() || contacts.get(0).uri() == null ? null : contacts.get(0).uri();
    }
}
