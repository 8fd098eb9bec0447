package io.tandem.softswitch.call;

import io.tandem.billing.authorization.Authorization;
import io.tandem.billing.authorization.CallAuthorizer;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.settlement.HoldSource;
import io.tandem.routing.Gateway;
import io.tandem.routing.Rate;
import io.tandem.routing.RouteDecision;
import io.tandem.routing.Strategy;
import io.tandem.routing.VendorCandidate;
import io.tandem.routing.provisioning.TrunkAccess;
import io.tandem.softswitch.call.admission.AdmissionControl;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.call.identify.TrunkIdentification;
import io.tandem.softswitch.call.quality.QualityStats;
import io.tandem.softswitch.call.quality.VendorBreakers;
import io.tandem.softswitch.sip.SipEndpoint;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.CSeq;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipOctets;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.SipUri;
import io.tandem.softswitch.sip.message.Via;
import io.tandem.softswitch.sip.testing.ManualClock;
import io.tandem.softswitch.sip.transaction.ClientTransaction;
import io.tandem.softswitch.sip.transaction.ClientTransactionListener;
import io.tandem.softswitch.sip.transaction.SipSender;
import io.tandem.softswitch.sip.transaction.TransactionConfig;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import io.tandem.softswitch.sip.transaction.TransactionLayer;
import io.tandem.softswitch.sip.transport.SipDestination;
import io.tandem.softswitch.sip.transport.SipTarget;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A call engine with every port faked by hand: the real transaction layer on a hand-moved clock,
 * a wire that keeps what each side receives, billing that grants what the test says, routing to
 * two vendors A and B. No sockets, Spring, database or sipp.
 */
final class CallHarness {
    static final Instant EPOCH = Instant.parse("2026-12-06T10:00:00Z");
    static final InetSocketAddress CUSTOMER = new InetSocketAddress("198.51.100.7", 5060);
    static final SipDestination VENDOR_A = SipDestination.udp("203.0.113.1", 5060);
    static final SipDestination VENDOR_B = SipDestination.udp("203.0.113.2", 5060);

    /** One message on the wire: where it went and what it was. */
    record Sent(String to, SipMessage message) {
        SipRequest request() {
            return (SipRequest) message;
        }

        SipResponse response() {
            return (SipResponse) message;
        }
    }

    final ManualClock clock = new ManualClock();
    final List<Sent> wire = new ArrayList<>();
    final List<List<CdrRecord>> settled = new ArrayList<>();
    final List<CallEvent> events = new ArrayList<>();
    /** Every executor a client transaction was started on, in order. */
    final List<TransactionExecutor> clientExecutors = new ArrayList<>();
    final List<InetAddress> banned = new ArrayList<>();
    long grantSeconds = 600;
    /** Billing work waits here when {@link #billingHeld}, until {@link #runBilling()}; refused when {@link #billingFull}. */
    final List<Runnable> billingQueue = new ArrayList<>();
    boolean billingHeld;
    boolean billingFull;
    Authorization.Rejected refuseWith;
    Authorization.Granted extendWith;
    CallEngineSettings settings = CallEngineSettings.defaults("node-test");
    Function<String, TransactionExecutor> loops = callId -> clock;
    TrunkAccess trunk = new TrunkAccess(7, 42, "acme-trunk", true, List.of("198.51.100.0/24"), List.of(), "active", true,
            null, null, null, null, io.tandem.routing.provisioning.AssertedIdentity.PASS, true, io.tandem.routing.provisioning.MediaMode.RELAY);
    /** Further trunks the engine identifies (digest trunks, disabled ones). */
    List<TrunkAccess> moreTrunks = List.of();
    final Rate sellRate = rate("44", 20_000);
    List<VendorCandidate> candidates = List.of(candidate(1, "vendor-a", VENDOR_A, List.of(503)),
            candidate(2, "vendor-b", VENDOR_B, null));

    /** The engine's vendor breakers (the node's defaults: 20 attempts, half failed, open 30 s). */
    final VendorBreakers breakers = new VendorBreakers(VendorBreakers.Settings.defaults());
    /** What the SIP stack says about the node's own overload, for every window asked. */
    boolean overloaded;

    private int branches;
    private int tags;
    private TransactionLayer layer;
    CallEngine engine;

    static Rate rate(String prefix, long perMinuteMicros) {
        return new Rate(1, prefix, "UK", perMinuteMicros, 0, 1, 1, EPOCH.minusSeconds(86_400), null, false, 0);
    }

    static VendorCandidate candidate(long id, String name, SipDestination where, List<Integer> failoverCodes) {
        Gateway gateway = new Gateway(id, 100 + id, name + "-gw", where.host(), where.port(), "udp", null, 1, 1, true, null, null,
                failoverCodes);
        return new VendorCandidate(100 + id, name, gateway, rate("44", 10_000), 10_000, id, 1, 1);
    }

    TransactionConfig transactionConfig = TransactionConfig.defaults();
    /** Where registered-contact gateways' calls go (none registered unless a test says). */
    RegisteredTargets registeredTargets = RegisteredTargets.NONE;

    /** A candidate whose gateway reaches trunk {@code trunkId}'s registered contact (docs/registrations.md). */
    static VendorCandidate registeredCandidate(long id, String name, long trunkId) {
        Gateway gateway = new Gateway(id, 100 + id, name + "-registered", name + "-trunk", 5060, "udp", null, 1, 1, true, null, null,
                null, null, trunkId, null);
        return new VendorCandidate(100 + id, name, gateway, rate("44", 10_000), 10_000, id, 1, 1);
    }

    private List<TrunkAccess> allTrunks() {
        List<TrunkAccess> all = new ArrayList<>(moreTrunks);
        all.add(0, trunk);
        return all;
    }

    TransactionLayer layer() {
        return layer;
    }

    /** The hand-moved clock as a {@link Clock}, for the digest nonces. */
    private final class HandClock extends Clock {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return EPOCH.plusMillis(clock.now());
        }
    }

    /** The calls' media side; pass-through unless a test puts a fake here before {@link #start()}. */
    MediaAnchor.Factory media = MediaAnchor.Factory.PASS_THROUGH;

    CallHarness start() {
        SipEndpoint endpoint = new FakeEndpoint();
        CallAuthorizer billing = new FakeBilling();
        CallRouting routing = (trunkId, callee, caller, at) -> new RouteDecision(trunkId, trunk.accountId(), callee, caller, sellRate,
                "EUR", "default", Strategy.LCR, candidates, List.of(), List.of());
        engine = new CallEngine(settings, routing, () -> TrunkIdentification.of(allTrunks()),
                new DigestAuthenticator("tandem", Duration.ofMinutes(5), new HandClock()), new AdmissionControl(() -> 1),
                breakers, new QualityStats(), billing, this::billingWork, new TestClock(),
                events::add, media);
        layer = new TransactionLayer(transactionConfig, engine, callId -> loops.apply(callId));
        engine.reachRegisteredContacts(registeredTargets);
        engine.attach(endpoint);
        return this;
    }

    private void billingWork(Runnable task) {
        if (billingFull) {
            throw new java.util.concurrent.RejectedExecutionException("billing queue full");
        }
        if (billingHeld) {
            billingQueue.add(task);
        } else {
            task.run();
        }
    }

    /** Billing answers what it was asked while held. */
    void runBilling() {
        billingHeld = false;
        List<Runnable> tasks = List.copyOf(billingQueue);
        billingQueue.clear();
        tasks.forEach(Runnable::run);
    }

    // ------------------------------------------------------------------ the customer's side

    /** A customer INVITE (with SDP) as a carrier's switch sends it, optionally behind a record-routing proxy. */
    SipRequest.Builder invite(String callId, String... recordRoutes) {
        SipRequest.Builder b = SipRequest.builder("INVITE", SipUri.parse("sip:442079460001@192.0.2.1"))
                .via(Via.of("UDP", "198.51.100.7", 5060, "z9hG4bK-c-" + callId))
                .from(Address.parse("\"Alice\" <sip:14155550100@198.51.100.7>").withTag("cust-tag"))
                .to(Address.parse("<sip:442079460001@192.0.2.1>"))
                .callId(callId)
                .cseq(new CSeq(1, "INVITE"))
                .maxForwards(70)
                .contact(Address.parse("<sip:alice@198.51.100.7:5060>"))
                .body("application/sdp", "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n".getBytes());
        for (String route : recordRoutes) {
            b.addHeader(HeaderName.RECORD_ROUTE, route);
        }
        return b;
    }

    void fromCustomer(SipRequest request) {
        layer.onRequest(request, new Wire("customer", CUSTOMER), CUSTOMER);
    }

    /**
     * A request whose TCP connection closed before it was handled: like a Netty channel after close,
     * the transport knows no remote address any more.
     */
    void fromClosedConnection(SipRequest request) {
        layer.onRequest(request, new Wire("customer", null), null);
    }

    /** A request from another address than the customer's; its answers are recorded as sent to the customer. */
    void fromSource(SipRequest request, InetSocketAddress source) {
        layer.onRequest(request, new Wire("customer", source), source);
    }

    /** The customer's request inside the call's dialog (our tag from the last answer). */
    SipRequest customerInDialog(SipRequest invite, String method, long cseq, String toTag) {
        return SipRequest.builder(method, SipUri.parse("sip:192.0.2.1:5060"))
                .via(Via.of("UDP", "198.51.100.7", 5060, "z9hG4bK-c-" + method + cseq + invite.callId()))
                .from(invite.from())
                .to(invite.to().withTag(toTag))
                .callId(invite.callId())
                .cseq(new CSeq(cseq, method))
                .maxForwards(70)
                .build();
    }

    /** The customer's ACK of our 200 (a transaction of its own, RFC 3261 §17.1.1.3). */
    void customerAcks(SipRequest invite, String toTag) {
        fromCustomer(customerAck(invite, toTag).build());
    }

    /** The customer's ACK of our 200 carrying its answer to the vendor's offer (late offer, RFC 3264 §4). */
    void customerAcksWithAnswer(SipRequest invite, String toTag, String sdp) {
        fromCustomer(customerAck(invite, toTag)
                .body("application/sdp", sdp.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .build());
    }

    private static SipRequest.Builder customerAck(SipRequest invite, String toTag) {
        return SipRequest.builder("ACK", SipUri.parse("sip:192.0.2.1:5060"))
                .via(Via.of("UDP", "198.51.100.7", 5060, "z9hG4bK-ack-" + invite.callId()))
                .from(invite.from())
                .to(invite.to().withTag(toTag))
                .callId(invite.callId())
                .cseq(new CSeq(invite.cseq().sequence(), "ACK"))
                .maxForwards(70);
    }

    /** Answers to the customer's INVITE only (not to its CANCEL or in-dialog requests). */
    List<Integer> inviteStatuses() {
        return toCustomer().stream().filter(r -> r.cseq().method().equals("INVITE") && r.cseq().sequence() == 1)
                .map(SipResponse::status).toList();
    }

    List<SipResponse> toCustomer() {
        return wire.stream().filter(s -> s.to().equals("customer") && s.message() instanceof SipResponse).map(Sent::response).toList();
    }

    List<Integer> customerStatuses() {
        return toCustomer().stream().map(SipResponse::status).toList();
    }

    /** Requests the switch sent towards the customer (BYE, relayed in-dialog requests), with where they went. */
    List<Sent> requestsToCustomerSide() {
        return wire.stream().filter(s -> s.message() instanceof SipRequest && !s.to().startsWith("203.0.113.")).toList();
    }

    // ------------------------------------------------------------------ the vendors' side

    List<SipRequest> toVendor(SipDestination vendor) {
        return wire.stream().filter(s -> s.to().equals(label(vendor)) && s.message() instanceof SipRequest).map(Sent::request).toList();
    }

    List<String> vendorMethods(SipDestination vendor) {
        return toVendor(vendor).stream().map(SipRequest::method).toList();
    }

    SipRequest lastToVendor(SipDestination vendor, String method) {
        return toVendor(vendor).stream().filter(r -> r.method().equals(method)).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no " + method + " to " + label(vendor) + ": " + vendorMethods(vendor)));
    }

    /** The vendor answers our INVITE with {@code status}; a To tag from 101 on, a Contact and SDP with a 2xx. */
    void vendorAnswers(SipDestination vendor, int status, String... recordRoutes) {
        SipRequest invite = lastToVendor(vendor, "INVITE");
        SipResponse.Builder b = invite.createResponse(status);
        if (status > 100) {
            b.toTag("vendor-tag");
        }
        for (String route : recordRoutes) {
            b.addHeader(HeaderName.RECORD_ROUTE, route);
        }
        if (status >= 200 && status < 300) {
            b.contact(Address.parse("<sip:gw@" + vendor.host() + ":5060>"))
                    .body("application/sdp", ("v=0\r\no=- 2 2 IN IP4 " + vendor.host() + "\r\ns=-\r\nc=IN IP4 " + vendor.host()
                            + "\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n").getBytes());
        }
        layer.onResponse(b.build());
    }

    /** The vendor answers our INVITE with early media: a 183 with its To tag and SDP naming its own address. */
    void vendorEarlyMedia(SipDestination vendor) {
        SipRequest invite = lastToVendor(vendor, "INVITE");
        layer.onResponse(invite.createResponse(183).toTag("vendor-tag")
                .body("application/sdp", ("v=0\r\no=- 1 1 IN IP4 " + vendor.host() + "\r\ns=-\r\nc=IN IP4 " + vendor.host()
                        + "\r\nt=0 0\r\nm=audio 5002 RTP/AVP 0\r\n").getBytes()).build());
    }

    /** A request from the vendor inside the B-leg dialog; {@code fromTag} is normally the vendor's tag. */
    SipRequest vendorInDialog(SipDestination vendor, String method, long cseq, String fromTag) {
        SipRequest invite = lastToVendor(vendor, "INVITE");
        return SipRequest.builder(method, SipUri.parse("sip:192.0.2.1:5060"))
                .via(Via.of("UDP", vendor.host(), 5060, "z9hG4bK-v-" + method + cseq))
                .from(invite.to().withTag(fromTag))
                .to(invite.from())
                .callId(invite.callId())
                .cseq(new CSeq(cseq, method))
                .maxForwards(70)
                .build();
    }

    void fromVendor(SipDestination vendor, SipRequest request) {
        InetSocketAddress source = new InetSocketAddress(vendor.host(), vendor.port());
        layer.onRequest(request, new Wire(label(vendor), source), source);
    }

    /** Answers the last request of {@code method} that went to {@code to}, with an SDP body (an offer in a 2xx). */
    void answerLastWithSdp(String to, String method, int status, String sdp) {
        SipRequest request = wire.stream().filter(s -> s.to().equals(to) && s.message() instanceof SipRequest r
                && r.method().equals(method)).map(Sent::request).reduce((a, b) -> b).orElseThrow();
        layer.onResponse(request.createResponse(status).toTag(request.to().tag() == null ? "x" : request.to().tag())
                .body("application/sdp", sdp.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).build());
    }

    /** Answers the last request of {@code method} that went to {@code to} (a BYE, a relayed re-INVITE). */
    void answerLast(String to, String method, int status) {
        SipRequest request = wire.stream().filter(s -> s.to().equals(to) && s.message() instanceof SipRequest r
                && r.method().equals(method)).map(Sent::request).reduce((a, b) -> b).orElseThrow();
        layer.onResponse(request.createResponse(status).toTag(request.to().tag() == null ? "x" : request.to().tag()).build());
    }

    static String label(SipDestination destination) {
        return destination.host() + ":" + destination.port();
    }

    // ------------------------------------------------------------------ fakes

    private final class TestClock implements CallClock {
        @Override
        public Instant now() {
            return EPOCH.plusMillis(clock.now());
        }

        @Override
        public long nanos() {
            return clock.now() * 1_000_000;
        }
    }

    /** A socket towards one peer: keeps what is sent, parsed back as the peer would read it. */
    private final class Wire implements SipSender {
        private final String to;
        private final InetSocketAddress remote;

        Wire(String to, InetSocketAddress remote) {
            this.to = to;
            this.remote = remote;
        }

        @Override
        public void send(SipOctets message, Consumer<Throwable> onFailure) {
            byte[] b = new byte[message.encodedLength()];
            int[] at = {0};
            message.writeTo((src, off, len) -> {
                System.arraycopy(src, off, b, at[0], len);
                at[0] += len;
            });
            wire.add(new Sent(to, ((SipParseResult.Parsed) SipParser.parse(b, 0, b.length)).message()));
        }

        @Override
        public boolean reliable() {
            return false;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }
    }

    private final class FakeEndpoint implements SipEndpoint {
        @Override
        public TransactionExecutor executorFor(String callId) {
            return loops.apply(callId);
        }

        @Override
        public Via newVia(SipTransport transport) {
            return Via.of(transport.name(), "192.0.2.1", 5060, layer.newBranch() + "-" + (++branches));
        }

        @Override
        public String newTag() {
            return "t" + (++tags);
        }

        @Override
        public Address contact() {
            return Address.of(SipUri.sip(null, "192.0.2.1", 5060));
        }

        @Override
        public ClientTransaction sendRequest(SipRequest request, SipDestination destination, TransactionExecutor executor,
                                             ClientTransactionListener listener) {
            clientExecutors.add(executor);
            return layer.startClient(request, wireTo(destination), executor, listener);
        }

        @Override
        public void sendStateless(SipMessage message, SipDestination destination, TransactionExecutor executor) {
            wireTo(destination).send(message, cause -> {
                throw new AssertionError(cause);
            });
        }

        @Override
        public void sendStateless(SipOctets message, SipDestination destination, TransactionExecutor executor) {
            wireTo(destination).send(message, cause -> {
                throw new AssertionError(cause);
            });
        }

        private Wire wireTo(SipDestination destination) {
            String to = label(destination);
            if (destination.host().equals(CUSTOMER.getAddress().getHostAddress()) && destination.port() == CUSTOMER.getPort()) {
                to = "customer";
            }
            return new Wire(to, null);
        }

        @Override
        public CompletableFuture<List<SipTarget>> resolve(SipDestination destination) {
            return CompletableFuture.completedFuture(List.of(new SipTarget(destination.transport(),
                    new InetSocketAddress(destination.host(), destination.port()))));
        }

        @Override
        public void markFailed(SipTarget target) {
        }

        @Override
        public void ban(InetAddress source) {
            banned.add(source);
        }

        @Override
        public boolean isBanned(InetAddress source) {
            return banned.contains(source);
        }

        @Override
        public boolean overloadedWithin(Duration window) {
            return overloaded;
        }
    }

    private final class FakeBilling implements CallAuthorizer {
        @Override
        public Optional<Authorization> authorizeIfLeaseReady(UUID callUuid, long accountId, RateSnapshot rate) {
            return Optional.empty();
        }

        @Override
        public Authorization authorize(UUID callUuid, long accountId, RateSnapshot rate) {
            if (refuseWith != null) {
                return new Authorization.Rejected(callUuid, refuseWith.reason(), refuseWith.detail());
            }
            return new Authorization.Granted(callUuid, accountId, rate, HoldSource.LEASE, new BigDecimal("1.000000"), grantSeconds);
        }

        @Override
        public Authorization extend(Authorization.Granted grant) {
            return extendWith != null ? extendWith : new Authorization.Rejected(grant.callUuid(),
                    io.tandem.billing.authorization.RejectionReason.INSUFFICIENT_FUNDS, "no more");
        }

        @Override
        public CompletableFuture<Void> settle(Authorization.Granted grant, List<CdrRecord> attempts) {
            settled.add(attempts);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> settleUnauthorized(UUID callUuid, long accountId, List<CdrRecord> attempts) {
            settled.add(attempts);
            return CompletableFuture.completedFuture(null);
        }
    }
}
