package io.tandem.softswitch.call;

import io.tandem.routing.RouteDecision;
import io.tandem.routing.VendorCandidate;
import io.tandem.routing.provisioning.TrunkAccess;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.CSeq;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.Parameters;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipUri;
import io.tandem.softswitch.sip.message.Via;

/** Pure builders of the requests the switch originates on a vendor leg. */
final class LegRequests {

    /** What the switch accepts inside a call (Allow on answers and B-leg INVITEs). */
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE";

    private LegRequests() {
    }

    /** The number as the vendor gets it: the gateway's tech prefix, then the routed callee. */
    static String calleeOut(VendorCandidate candidate, RouteDecision route) {
        String prefix = candidate.gateway().techPrefix();
        return (prefix == null ? "" : prefix) + route.callee();
    }

    /**
     * The B-leg INVITE: our own Call-ID, From tag and Contact; the routed numbers; Max-Forwards one
     * less than the customer's; the identity headers as the trunk says; the (anchored) offer.
     */
    static SipRequest vendorInvite(SipRequest customerInvite, TrunkAccess trunk, RouteDecision route, VendorCandidate candidate,
                                   Via via, String callId, String fromTag, Address contact, MessageBody offer) {
        return vendorInvite(customerInvite, trunk, route, candidate, via, callId, fromTag, contact, offer, null);
    }

    /**
     * {@link #vendorInvite} to a registered contact when {@code registered} is set: the Request-URI is the
     * contact as registered with the called number as its user (RFC 3261 §10: the registrar's binding
     * retargets the request; the customer's switch routes on the number), with the holder's Route when
     * another node holds the flow.
     */
    static SipRequest vendorInvite(SipRequest customerInvite, TrunkAccess trunk, RouteDecision route, VendorCandidate candidate,
                                   Via via, String callId, String fromTag, Address contact, MessageBody offer,
                                   RegisteredTargets.Target registered) {
        String ourHost = contact.uri().host();
        String callee = calleeOut(candidate, route);
        SipUri target;
        String toHost;
        if (registered != null) {
            SipUri bound = registered.contact();
            target = SipUri.sip(callee, bound.host(), bound.port());
            for (int i = 0; i < bound.params().size(); i++) {
                target = target.withParam(bound.params().name(i), bound.params().value(i));
            }
            toHost = bound.host();
        } else {
            // Found by SRV/NAPTR, the gateway is addressed by its domain alone, as RFC 3263 §4 expects.
            int uriPort = "address".equals(candidate.gateway().dnsLookup()) ? candidate.gateway().port() : -1;
            target = SipUri.sip(callee, candidate.gateway().host(), uriPort);
            toHost = candidate.gateway().host();
        }
        SipUri fromUri = SipUri.sip(route.caller().isEmpty() ? "anonymous" : route.caller(), ourHost, -1);
        SipRequest.Builder b = SipRequest.builder(SipRequest.INVITE, target)
                .via(via)
                .from(new Address(customerInvite.from().displayName(), fromUri, Parameters.EMPTY).withTag(fromTag))
                .to(Address.of(SipUri.sip(callee, toHost, -1)))
                .callId(callId)
                .cseq(new CSeq(1, SipRequest.INVITE))
                .maxForwards(Math.max(0, customerInvite.maxForwards() - 1))
                .contact(contact)
                .header(HeaderName.ALLOW, ALLOW);
        if (registered != null && registered.route() != null) {
            b.addHeader(HeaderName.ROUTE, registered.route());
        }
        assertIdentity(b, customerInvite, trunk, route, ourHost);
        if (offer != null) {
            b.body(offer.contentType(), offer.content());
        }
        return b.build();
    }

    /**
     * RFC 3325 as the trunk says: relay the customer's {@code P-Asserted-Identity} values, send
     * none, or assert the translated caller number ourselves. {@code Privacy} is the caller's
     * request and always goes on.
     */
    private static void assertIdentity(SipRequest.Builder b, SipRequest customerInvite, TrunkAccess trunk, RouteDecision route,
                                       String ourHost) {
        switch (trunk.assertedIdentity()) {
            case PASS -> {
                for (String value : customerInvite.headers().all(HeaderName.P_ASSERTED_IDENTITY)) {
                    b.header(HeaderName.P_ASSERTED_IDENTITY, value);
                }
            }
            case CALLER -> {
                if (!route.caller().isEmpty()) {
                    b.header(HeaderName.P_ASSERTED_IDENTITY, "<" + SipUri.sip(route.caller(), ourHost, -1) + ">");
                }
            }
            case STRIP -> {
            }
        }
        for (String value : customerInvite.headers().all(HeaderName.PRIVACY)) {
            b.header(HeaderName.PRIVACY, value);
        }
    }

    /** The body of a message as it crosses legs, or null when it has none. */
    static MessageBody bodyOf(io.tandem.softswitch.sip.message.SipMessage message) {
        return message.bodyLength() > 0 ? new MessageBody(message.contentType(), message.body()) : null;
    }
}
