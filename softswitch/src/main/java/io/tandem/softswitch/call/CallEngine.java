package io.tandem.softswitch.call;

import io.tandem.billing.authorization.Authorization;
import io.tandem.billing.authorization.BalanceAuthorizer;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.rating.CallRater;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.routing.NoRoute;
import io.tandem.routing.NoRouteReason;
import io.tandem.routing.Rate;
import io.tandem.routing.RouteDecision;
import io.tandem.routing.RouteOptions;
import io.tandem.routing.RouteResult;
import io.tandem.routing.RouteTable;
import io.tandem.routing.VendorCandidate;
import io.tandem.routing.provisioning.TrunkAccess;
import io.tandem.softswitch.call.admission.AdmissionControl;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.call.identify.TrunkIdentification;
import io.tandem.softswitch.call.quality.QualityStats;
import io.tandem.softswitch.call.quality.VendorBreakers;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.CSeq;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SessionExpires;
import io.tandem.softswitch.sip.message.SentMessage;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.SipUri;
import io.tandem.softswitch.sip.message.Via;
import io.tandem.softswitch.sip.transaction.ClientTransaction;
import io.tandem.softswitch.sip.transaction.ClientTransactionListener;
import io.tandem.softswitch.sip.transaction.InviteClientTransaction;
import io.tandem.softswitch.sip.transaction.InviteServerTransaction;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import io.tandem.softswitch.sip.transaction.SipRequestHandler;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.transport.SipDestination;
import io.tandem.softswitch.sip.transport.SipTarget;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The B2BUA: every customer INVITE becomes a call with an A-leg (the customer's dialog, answered by
 * us) and B-legs (our own INVITEs to vendor gateways, one per attempt). It follows "A call, end to
 * end" of the architecture brief: identify, admit, rate and authorize, route, try vendors with
 * failover, relay the answer, hang up when the money ends, settle.
 *
 * <p>Threading: a call's state is touched only on its {@link TransactionExecutor} (the event loop
 * of the A-leg's Call-ID). Database work (authorization, settlement) runs on {@code billingExecutor}
 * and posts its result back. Nothing here blocks.
 */
public final class CallEngine implements SipRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(CallEngine.class);
    private static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE";

    private final CallEngineSettings settings;
    private final Supplier<RouteTable> routes;
    private final Supplier<TrunkIdentification> trunks;
    private final DigestAuthenticator digest;
    private final AdmissionControl admission;
    private final VendorBreakers breakers;
    private final QualityStats quality;
    private final BalanceAuthorizer billing;
    private final Executor billingExecutor;
    private final Clock clock;
    private volatile SipStack stack;
    private volatile Address contact;

    private final ConcurrentHashMap<String, Call> callsByCallId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Call> callsById = new ConcurrentHashMap<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    static final int MAX_AUTH_FAILURES = 5;
    private final com.github.benmanes.caffeine.cache.Cache<java.net.InetAddress, java.util.concurrent.atomic.AtomicInteger> authFailures =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(1)).build();

    /** Counters for metrics. */
    public final LongAdder callsOffered = new LongAdder();
    public final LongAdder callsAnswered = new LongAdder();
    public final LongAdder callsRejected = new LongAdder();
    public final LongAdder vendorAttempts = new LongAdder();
    public final LongAdder failovers = new LongAdder();

    public CallEngine(CallEngineSettings settings, Supplier<RouteTable> routes,
                      Supplier<TrunkIdentification> trunks, DigestAuthenticator digest, AdmissionControl admission,
                      VendorBreakers breakers, QualityStats quality, BalanceAuthorizer billing, Executor billingExecutor,
                      Clock clock) {
        this.settings = settings;
        this.routes = routes;
        this.trunks = trunks;
        this.digest = digest;
        this.admission = admission;
        this.breakers = breakers;
        this.quality = quality;
        this.billing = billing;
        this.billingExecutor = billingExecutor;
        this.clock = clock;
    }

    /** The SIP stack is started with this engine as its handler, so it is attached afterwards. */
    public void attach(SipStack sipStack) {
        Via via = sipStack.newVia(SipTransport.UDP);
        this.contact = Address.of(SipUri.sip(null, via.host(), via.port()));
        this.stack = sipStack;
    }

    // ------------------------------------------------------------------ public operations

    /** Calls in progress on this node. */
    public List<ActiveCallView> activeCalls() {
        Instant now = clock.instant();
        return callsById.values().stream().map(call -> call.view(now)).toList();
    }

    public int activeCallCount() {
        return callsById.size();
    }

    /** Hangs up a call by id (both legs, hangup side "switch"); false if no such call here. */
    public boolean hangUp(UUID id) {
        Call call = callsById.get(id);
        if (call == null) {
            return false;
        }
        call.executor.execute(() -> call.terminate(HangupSide.SWITCH, 0, "hung up by operator"));
        return true;
    }

    /** While draining, new INVITEs get 503 with Retry-After; calls in progress go on. */
    public void setDraining(boolean drain) {
        draining.set(drain);
    }

    public boolean draining() {
        return draining.get();
    }

    /** Ends every call (node shutdown). */
    public void hangUpAll(String why) {
        for (Call call : callsById.values()) {
            call.executor.execute(() -> call.terminate(HangupSide.SWITCH, 0, why));
        }
    }

    // ------------------------------------------------------------------ SipRequestHandler

    @Override
    public void onRequest(ServerTransaction transaction) {
        if (stack == null) {
            transaction.respond(transaction.responseBuilder(503).header(HeaderName.RETRY_AFTER, "5").build());
            return;
        }
        SipRequest request = transaction.request();
        String toTag = request.to().tag();
        if (toTag == null) {
            if (request.isInvite()) {
                newCall((InviteServerTransaction) transaction);
            } else if (request.method().equals("OPTIONS")) {
                transaction.respond(transaction.responseBuilder(200).header(HeaderName.ALLOW, ALLOW).build());
            } else if (request.method().equals("BYE")) {
                transaction.respond(481);
            } else {
                transaction.respond(transaction.responseBuilder(405).header(HeaderName.ALLOW, ALLOW).build());
            }
            return;
        }
        Call call = callsByCallId.get(request.callId());
        if (call == null) {
            transaction.respond(481);
            return;
        }
        call.executor.execute(() -> call.onInDialogRequest(transaction));
    }

    @Override
    public void onCancel(InviteServerTransaction invite, SipRequest cancel) {
        Call call = callsByCallId.get(cancel.callId());
        if (call == null) {
            invite.respond(487);
            return;
        }
        call.executor.execute(call::onCustomerCancel);
    }

    @Override
    public void onAck(SipRequest ack) {
        Call call = callsByCallId.get(ack.callId());
        if (call != null) {
            call.executor.execute(() -> call.onCustomerAck(ack));
        }
    }

    @Override
    public void onAckTimeout(InviteServerTransaction invite) {
        Call call = callsByCallId.get(invite.request().callId());
        if (call != null) {
            call.executor.execute(() -> call.terminate(HangupSide.SWITCH, 0, "no ACK from customer"));
        }
    }

    @Override
    public void onStrayResponse(SipResponse response) {
        // A 2xx retransmitted by a vendor after its INVITE transaction ended: our ACK was lost.
        if (response.isSuccess() && "INVITE".equals(response.cseq().method())) {
            Call call = callsByCallId.get(response.callId());
            if (call != null) {
                call.executor.execute(() -> call.onStray2xx(response));
            }
        }
    }

    // ------------------------------------------------------------------ a new call

    private void newCall(InviteServerTransaction tx) {
        callsOffered.increment();
        SipRequest invite = tx.request();
        if (draining.get()) {
            reject(tx, new CallRejection.NodeDraining());
            return;
        }
        InetSocketAddress source = tx.source();
        TrunkIdentification identification = trunks.get();
        Optional<TrunkAccess> bySource = identification.bySource(source.getAddress());
        TrunkAccess trunk;
        if (bySource.isPresent()) {
            trunk = bySource.get();
        } else {
            String credentials = invite.header(HeaderName.PROXY_AUTHORIZATION);
            if (credentials == null) {
                challengeOrRefuse(tx, source, false);
                return;
            }
            Optional<String> username = DigestAuthenticator.username(credentials);
            Optional<TrunkIdentification.DigestIdentity> identity = username.flatMap(identification::byDigestUser);
            if (identity.isEmpty()) {
                authenticationFailed(source);
                reject(tx, new CallRejection.AuthenticationFailed(username.orElse("")));
                return;
            }
            TrunkAccess.DigestUser user = identity.get().user();
            switch (digest.verify(credentials, invite.method(), user.ha1Md5(), user.ha1Sha256())) {
                case DigestAuthenticator.Verdict.Valid valid -> trunk = identity.get().trunk();
                case DigestAuthenticator.Verdict.Stale stale -> {
                    challengeOrRefuse(tx, source, true);
                    return;
                }
                case DigestAuthenticator.Verdict.Invalid invalid -> {
                    authenticationFailed(source);
                    reject(tx, new CallRejection.AuthenticationFailed(invalid.username() == null ? "" : invalid.username()));
                    return;
                }
            }
        }
        if (!trunk.enabled()) {
            reject(tx, new CallRejection.TrunkDisabled(trunk.trunkName()));
            return;
        }
        Optional<SessionExpires> askedInterval = SessionExpires.parse(invite.header(HeaderName.SESSION_EXPIRES));
        if (askedInterval.isPresent() && askedInterval.get().seconds() < settings.sessionMinSe().toSeconds()) {
            reject(tx, new CallRejection.SessionIntervalTooSmall(settings.sessionMinSe().toSeconds()));
            return;
        }
        if (!trunk.accountActive()) {
            reject(tx, new CallRejection.AccountNotActive(trunk.accountId(), trunk.accountStatus()));
            return;
        }
        Optional<CallRejection> overCps = admission.takeCps(AdmissionControl.accountScope(trunk.accountId()), trunk.accountMaxCps())
                .or(() -> admission.takeCps(AdmissionControl.trunkScope(trunk.trunkId()), trunk.trunkMaxCps()));
        if (overCps.isPresent()) {
            reject(tx, overCps.get());
            return;
        }
        Optional<AdmissionControl.Slot> accountSlot = admission.takeSlot(AdmissionControl.accountScope(trunk.accountId()), trunk.accountMaxConcurrent());
        if (accountSlot.isEmpty()) {
            reject(tx, new CallRejection.ConcurrencyLimitExceeded("account " + trunk.accountId()));
            return;
        }
        Optional<AdmissionControl.Slot> trunkSlot = admission.takeSlot(AdmissionControl.trunkScope(trunk.trunkId()), trunk.trunkMaxConcurrent());
        if (trunkSlot.isEmpty()) {
            accountSlot.get().release();
            reject(tx, new CallRejection.ConcurrencyLimitExceeded("trunk " + trunk.trunkName()));
            return;
        }
        Call call = new Call(tx, source, trunk, List.of(accountSlot.get(), trunkSlot.get()));
        if (callsByCallId.putIfAbsent(invite.callId(), call) != null) {
            // A second INVITE with the same Call-ID but another branch: a merged request.
            call.releaseSlots();
            tx.respond(482);
            return;
        }
        callsById.put(call.id, call);
        call.route();
    }

    /**
     * Password guessing is flooding too: after {@value #MAX_AUTH_FAILURES} failed digest attempts
     * within a minute a source is banned by flood protection (provisioned trunks never are).
     */
    private void authenticationFailed(InetSocketAddress source) {
        java.util.concurrent.atomic.AtomicInteger failures = authFailures.get(source.getAddress(),
                address -> new java.util.concurrent.atomic.AtomicInteger());
        if (failures.incrementAndGet() >= MAX_AUTH_FAILURES) {
            authFailures.invalidate(source.getAddress());
            stack.floodGuard().ban(source.getAddress());
            log.warn("Banned {} after {} failed digest authentications", source.getAddress().getHostAddress(), MAX_AUTH_FAILURES);
        }
    }

    private void challengeOrRefuse(InviteServerTransaction tx, InetSocketAddress source, boolean stale) {
        if (!stale && !trunks.get().hasDigestUsers()) {
            reject(tx, new CallRejection.UnknownSource(source.getAddress().getHostAddress()));
            return;
        }
        SipResponse.Builder response = tx.responseBuilder(407);
        for (String challenge : digest.challenges(stale)) {
            response.addHeader(HeaderName.PROXY_AUTHENTICATE, challenge);
        }
        tx.respond(response.build());
    }

    private void reject(InviteServerTransaction tx, CallRejection rejection) {
        callsRejected.increment();
        tx.respond(rejectionResponse(tx, rejection));
    }

    private static SipResponse rejectionResponse(ServerTransaction tx, CallRejection rejection) {
        SipRejection sip = CallRejections.toSip(rejection);
        SipResponse.Builder response = tx.request().createResponse(sip.status(), sip.reasonPhrase()).toTag(tx.toTag())
                .header(HeaderName.REASON, sip.reasonHeader());
        if (sip.retryAfter() > 0) {
            response.header(HeaderName.RETRY_AFTER, Integer.toString(sip.retryAfter()));
        }
        if (rejection instanceof CallRejection.SessionIntervalTooSmall small) {
            response.header(HeaderName.MIN_SE, Long.toString(small.minSeconds()));
        }
        return response.build();
    }

    private static CallRejection rejectionOf(NoRoute noRoute) {
        return noRoute.reason() == NoRouteReason.BLOCKED_DESTINATION
                ? new CallRejection.DestinationBlocked(noRoute.callee())
                : new CallRejection.NoRoute(noRoute.detail());
    }

    private static CallRejection rejectionOf(Authorization.Rejected rejected) {
        return switch (rejected.reason()) {
            case INSUFFICIENT_FUNDS -> new CallRejection.InsufficientFunds(0);
            case DAILY_LIMIT_REACHED -> new CallRejection.DailySpendLimitReached(0);
            case ACCOUNT_NOT_ACTIVE, UNKNOWN_ACCOUNT -> new CallRejection.AccountNotActive(0, "not active");
            case BILLING_UNAVAILABLE -> new CallRejection.Overloaded("billing database unavailable");
        };
    }

    static RateSnapshot snapshot(Rate rate) {
        return new RateSnapshot(rate.prefix(), rate.ratePerMinute(), rate.connectFee(), rate.initialIncrement(),
                rate.nextIncrement(), rate.graceSeconds());
    }

    /** A B-leg Call-ID that hashes to the A-leg's executor, so both legs live on one event loop. */
    private String bLegCallId(TransactionExecutor executor) {
        String candidate = null;
        for (int i = 0; i < 64; i++) {
            candidate = UUID.randomUUID() + "@tandem";
            if (stack.executorFor(candidate) == executor) {
                return candidate;
            }
        }
        return candidate;
    }

    /** RFC 4028 §7.1: the customer says it can refresh a session ({@code timer} in Supported or Require). */
    private static boolean supportsSessionTimer(SipRequest invite) {
        for (HeaderName name : new HeaderName[] {HeaderName.SUPPORTED, HeaderName.REQUIRE}) {
            for (String line : invite.headers().all(name)) {
                for (String option : line.split(",")) {
                    if (option.trim().equalsIgnoreCase("timer")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static SipTransport transportOf(String name) {
        return SipTransport.valueOf(name == null ? "UDP" : name.toUpperCase(java.util.Locale.ROOT));
    }

    /** Where a gateway is, as provisioned: host, port, transport and how DNS is asked (RFC 3263). */
    static SipDestination destinationOf(io.tandem.routing.Gateway gateway) {
        SipDestination.Lookup lookup = switch (gateway.dnsLookup()) {
            case "srv" -> SipDestination.Lookup.SRV;
            case "naptr" -> SipDestination.Lookup.NAPTR;
            default -> SipDestination.Lookup.ADDRESS;
        };
        return new SipDestination(transportOf(gateway.transport()), gateway.host(), gateway.port(), lookup);
    }

    private Via ourVia(SipTransport transport) {
        return stack.newVia(transport);
    }

    private Address ourContact() {
        return contact;
    }

    private String ourHost() {
        return contact.uri().host();
    }

    // ------------------------------------------------------------------ one call

    private enum State { ROUTING, TRYING, RINGING, ANSWERED, ENDED }

    /** One attempt to one vendor gateway. */
    private final class Attempt implements ClientTransactionListener {
        final int number;
        final VendorCandidate candidate;
        final String callId;
        final String fromTag;
        final SipDestination destination;
        final SipTransport transport;
        final Instant startedAt;
        final long startNanos;
        final AdmissionControl.Slot gatewaySlot;
        final List<SipTarget> targets;
        final int targetIndex;
        SipRequest invite;
        InviteClientTransaction transaction;
        TransactionExecutor.Cancellable noTryingTimer;
        boolean provisional;
        Long pddMillis;
        Instant answeredAt;
        Instant endedAt;
        int status;
        String reason = "";
        String toTag;
        SipUri remoteTarget;
        SipRequest ackRequest;
        long cseq = 1;
        boolean done;
        final Call call;

        /** An attempt at {@code targets.get(targetIndex)}, one of the gateway's RFC 3263 targets. */
        Attempt(Call call, int number, VendorCandidate candidate, AdmissionControl.Slot gatewaySlot,
                List<SipTarget> targets, int targetIndex) {
            this.call = call;
            this.number = number;
            this.candidate = candidate;
            this.gatewaySlot = gatewaySlot;
            this.targets = targets;
            this.targetIndex = targetIndex;
            this.callId = bLegCallId(call.executor);
            this.fromTag = stack.newTag();
            this.transport = targets.get(targetIndex).transport();
            this.destination = targets.get(targetIndex).destination();
            this.startedAt = clock.instant();
            this.startNanos = System.nanoTime();
        }

        String calleeOut() {
            String prefix = candidate.gateway().techPrefix();
            return (prefix == null ? "" : prefix) + call.route.callee();
        }

        void send() {
            SipRequest a = call.invite;
            // Found by SRV/NAPTR, the gateway is addressed by its domain alone, as RFC 3263 §4 expects.
            int uriPort = "address".equals(candidate.gateway().dnsLookup()) ? candidate.gateway().port() : -1;
            SipUri target = SipUri.sip(calleeOut(), candidate.gateway().host(), uriPort);
            SipUri fromUri = SipUri.sip(call.route.caller().isEmpty() ? "anonymous" : call.route.caller(), ourHost(), -1);
            SipRequest.Builder b = SipRequest.builder("INVITE", target)
                    .via(ourVia(transport))
                    .from(new Address(a.from().displayName(), fromUri, io.tandem.softswitch.sip.message.Parameters.EMPTY).withTag(fromTag))
                    .to(Address.of(SipUri.sip(calleeOut(), candidate.gateway().host(), -1)))
                    .callId(callId)
                    .cseq(new CSeq(cseq, "INVITE"))
                    .maxForwards(Math.max(0, a.maxForwards() - 1))
                    .contact(ourContact())
                    .header(HeaderName.ALLOW, ALLOW);
            assertIdentity(b, a);
            if (a.bodyLength() > 0) {
                b.body(a.contentType(), a.body());
            }
            invite = b.build();
            vendorAttempts.increment();
            callsByCallId.put(callId, call);
            transaction = (InviteClientTransaction) stack.sendRequest(invite, destination, this);
            noTryingTimer = call.executor.schedule(this::onNoTrying, settings.noTryingTimeout().toMillis());
        }

        /**
         * RFC 3325 as the trunk says: relay the customer's {@code P-Asserted-Identity} values, send
         * none, or assert the translated caller number ourselves. {@code Privacy} is the caller's
         * request and always goes on.
         */
        private void assertIdentity(SipRequest.Builder b, SipRequest customerInvite) {
            switch (call.trunk.assertedIdentity()) {
                case PASS -> {
                    for (String value : customerInvite.headers().all(HeaderName.P_ASSERTED_IDENTITY)) {
                        b.header(HeaderName.P_ASSERTED_IDENTITY, value);
                    }
                }
                case CALLER -> {
                    if (!call.route.caller().isEmpty()) {
                        b.header(HeaderName.P_ASSERTED_IDENTITY, "<" + SipUri.sip(call.route.caller(), ourHost(), -1) + ">");
                    }
                }
                case STRIP -> {
                }
            }
            for (String value : customerInvite.headers().all(HeaderName.PRIVACY)) {
                b.header(HeaderName.PRIVACY, value);
            }
        }

        private void onNoTrying() {
            if (!provisional && !done && call.current == this) {
                transaction.cancel();
                finish(0, "no answer from vendor within " + settings.noTryingTimeout().toMillis() + " ms");
                if (!call.tryNextTarget(this)) {
                    call.nextAttempt(0);
                }
            }
        }

        @Override
        public void onResponse(ClientTransaction tx, SipResponse response) {
            if (done && !(response.isSuccess() && call.current == this)) {
                return;
            }
            int code = response.status();
            if (code < 200) {
                if (!provisional) {
                    provisional = true;
                    noTryingTimer.cancel();
                }
                if (code > 100) {
                    if (pddMillis == null) {
                        pddMillis = (System.nanoTime() - call.startNanos) / 1_000_000;
                    }
                    call.relayProvisional(response);
                }
                return;
            }
            noTryingTimer.cancel();
            if (code < 300) {
                if (answeredAt != null) {
                    // The same 2xx again: our ACK was lost (RFC 3261 §13.2.2.4). ACK it again; the call
                    // was answered once.
                    stack.sendStateless(ackRequest, destination);
                    return;
                }
                if (call.current != this || call.state == State.ENDED) {
                    // Answer after we gave up on this vendor (CANCEL raced the 200): ACK and BYE it.
                    toTag = response.to().tag();
                    remoteTarget = contactOf(response);
                    ack(response);
                    bye("call already ended");
                    releaseTransaction();
                    return;
                }
                if (pddMillis == null) {
                    pddMillis = (System.nanoTime() - call.startNanos) / 1_000_000;
                }
                toTag = response.to().tag();
                remoteTarget = contactOf(response);
                answeredAt = clock.instant();
                ack(response);
                call.onAnswered(this, response);
                return;
            }
            finish(code, response.reasonPhrase());
            if (call.current == this) {
                call.onAttemptFailed(this, code, response);
            }
        }

        @Override
        public void onTimeout(ClientTransaction tx) {
            if (done) {
                return;
            }
            noTryingTimer.cancel();
            finish(0, "vendor timeout");
            if (call.current == this) {
                call.onAttemptFailed(this, 0, null);
            }
        }

        @Override
        public void onTransportError(ClientTransaction tx, Throwable cause) {
            if (done) {
                return;
            }
            noTryingTimer.cancel();
            finish(0, "transport error: " + cause.getMessage());
            if (call.current == this) {
                call.onAttemptFailed(this, 0, null);
            }
        }

        /** Ends the attempt's bookkeeping once: breaker, quality, gateway slot. */
        void finish(int code, String why) {
            if (done) {
                return;
            }
            done = true;
            status = code;
            reason = why == null ? "" : why;
            endedAt = clock.instant();
            if (answeredAt != null && call.grant != null) {
                // The switch hangs up when the held money ends; milliseconds of our own latency past
                // that point are not the customer's to pay (and would overspend a prepaid balance).
                Instant paidUntil = answeredAt.plusSeconds(call.grant.maxDurationSeconds());
                if (endedAt.isAfter(paidUntil)) {
                    endedAt = paidUntil;
                }
            }
            gatewaySlot.release();
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            breakers.record(candidate.gateway().id(), code, took);
            long talk = answeredAt == null ? 0 : Duration.between(answeredAt, endedAt).toMillis();
            quality.record(candidate.gateway().id(), call.trunk.accountId(), answeredAt != null, talk, pddMillis == null ? -1 : pddMillis);
            callsByCallId.remove(callId, call);
            if (answeredAt != null) {
                releaseTransaction();
            }
        }

        /** The answered INVITE's transaction keeps only what re-ACKs a late 2xx, not this call. */
        void releaseTransaction() {
            if (transaction != null && ackRequest != null) {
                transaction.replaceListener(new AckRepeater(stack, SentMessage.of(ackRequest), callId, destination));
            }
        }

        void ack(SipResponse response) {
            SipUri target = remoteTarget != null ? remoteTarget : invite.requestUri();
            ackRequest = SipRequest.builder("ACK", target)
                    .via(ourVia(transport))
                    .from(invite.from())
                    .to(response.to())
                    .callId(callId)
                    .cseq(new CSeq(cseq, "ACK"))
                    .maxForwards(70)
                    .build();
            stack.sendStateless(ackRequest, destination);
        }

        void bye(String why) {
            if (toTag == null) {
                return;
            }
            cseq++;
            SipRequest byeRequest = SipRequest.builder("BYE", remoteTarget != null ? remoteTarget : invite.requestUri())
                    .via(ourVia(transport))
                    .from(invite.from())
                    .to(invite.to().withTag(toTag))
                    .callId(callId)
                    .cseq(new CSeq(cseq, "BYE"))
                    .maxForwards(70)
                    .header(HeaderName.REASON, "Q.850;cause=16;text=\"" + why + "\"")
                    .build();
            stack.sendRequest(byeRequest, destination, IGNORE);
        }

        CdrRecord cdr(Call call, HangupSide side) {
            Instant end = endedAt != null ? endedAt : clock.instant();
            long durationMs = Duration.between(startedAt, end).toMillis();
            return new CdrRecord(call.id, number, settings.nodeId(), call.invite.callId(), call.trunk.accountId(),
                    call.trunk.trunkId(), candidate.vendorAccountId(), candidate.gateway().id(), call.callerIn, call.calleeIn,
                    call.route.caller(), calleeOut(), startedAt, answeredAt, end, durationMs, 0,
                    pddMillis == null ? null : pddMillis.intValue(), answeredAt != null ? 200 : status, reason, null,
                    answeredAt != null ? side : HangupSide.SWITCH, call.route.currency(), call.sell, snapshot(candidate.buyRate()),
                    null, null, null).priced();
        }
    }

    private static final ClientTransactionListener IGNORE = ClientTransactionListener.NONE;

    /**
     * What an answered B-leg's INVITE transaction reports once its call has ended: a retransmitted
     * 2xx (our ACK was lost) is ACKed again (RFC 3261 §13.2.2.4). Holds only the ACK, so the ended
     * call's state is free while the transaction waits out Timer M.
     */
    private record AckRepeater(SipStack stack, SentMessage ack, String callId, SipDestination destination)
            implements ClientTransactionListener {
        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
            if (response.isSuccess()) {
                stack.sendStateless(ack, callId, destination);
            }
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
        }
    }

    private static SipUri contactOf(SipResponse response) {
        List<Address> contacts = response.contacts();
        return contacts.isEmpty() || contacts.get(0).uri() == null ? null : contacts.get(0).uri();
    }

    private final class Call {
        final UUID id = UUID.randomUUID();
        final InviteServerTransaction tx;
        final SipRequest invite;
        final InetSocketAddress source;
        final TrunkAccess trunk;
        final TransactionExecutor executor;
        final Instant startedAt;
        final long startNanos = System.nanoTime();
        final List<AdmissionControl.Slot> slots;
        final List<Attempt> attempts = new ArrayList<>();
        final String callerIn;
        final String calleeIn;
        State state = State.ROUTING;
        RouteDecision route;
        RateSnapshot sell;
        Authorization.Granted grant;
        int nextCandidate;
        Attempt current;
        boolean cancelled;
        boolean customerAcked;
        Instant answeredAt;
        long aCseq = 1;
        TransactionExecutor.Cancellable hangupTimer;
        TransactionExecutor.Cancellable extendTimer;
        TransactionExecutor.Cancellable pddTimer;
        /** The customer leg's session interval (RFC 4028), 0 without session timers. */
        long sessionSeconds;
        TransactionExecutor.Cancellable sessionTimer;
        int lastFailure;
        boolean settled;
        byte[] vendorSdp;

        Call(InviteServerTransaction tx, InetSocketAddress source, TrunkAccess trunk, List<AdmissionControl.Slot> slots) {
            this.tx = tx;
            this.invite = tx.request();
            this.source = source;
            this.trunk = trunk;
            this.slots = slots;
            this.executor = stack.executorFor(invite.callId());
            this.startedAt = clock.instant();
            this.callerIn = invite.from().uri() == null || invite.from().uri().user() == null ? "" : invite.from().uri().user();
            this.calleeIn = invite.requestUri().user() == null ? "" : invite.requestUri().user();
        }

        void route() {
            RouteResult result = routes.get().route(trunk.trunkId(), calleeIn, callerIn, startedAt, RouteOptions.DEFAULT.withQuality(quality));
            switch (result) {
                case NoRoute noRoute -> refuse(rejectionOf(noRoute), noRoute.sellRate() == null ? null : snapshot(noRoute.sellRate()),
                        noRoute.callee(), noRoute.caller(), null);
                case RouteDecision decision -> {
                    route = decision;
                    sell = snapshot(decision.sellRate());
                    authorize();
                }
            }
        }

        void authorize() {
            // Most calls are paid from this node's in-memory lease: decided here, on the call's loop,
            // without two thread hand-offs; the rest (no lease, low, busy) go to the billing workers.
            Optional<Authorization> atOnce = billing.authorizeIfLeaseReady(id, trunk.accountId(), sell);
            if (atOnce.isPresent()) {
                onAuthorization(atOnce.get());
                return;
            }
            try {
                billingExecutor.execute(() -> {
                    Authorization authorization = billing.authorize(id, trunk.accountId(), sell);
                    executor.execute(() -> onAuthorization(authorization));
                });
            } catch (RejectedExecutionException e) {
                refuse(new CallRejection.Overloaded("billing queue full"), sell, route.callee(), route.caller(), null);
            }
        }

        void onAuthorization(Authorization authorization) {
            switch (authorization) {
                case Authorization.Granted granted -> {
                    grant = granted;
                    if (state == State.ENDED) {
                        // Hung up (operator, shutdown) while billing was deciding: give the hold back.
                        settleEnded(HangupSide.SWITCH, 0, "ended before authorization");
                        return;
                    }
                    if (cancelled) {
                        tx.respond(487);
                        end(HangupSide.CALLER, 487, "cancelled by customer");
                        return;
                    }
                    state = State.TRYING;
                    pddTimer = executor.schedule(() -> {
                        if (state == State.TRYING || state == State.RINGING) {
                            if (current != null) {
                                current.transaction.cancel();
                                current.finish(0, "maximum post-dial delay");
                            }
                            failCall(new CallRejection.VendorsExhausted(lastFailure));
                        }
                    }, settings.maxPostDialDelay().toMillis());
                    nextAttempt(0);
                }
                case Authorization.Rejected rejected -> {
                    if (state != State.ENDED) {
                        refuse(rejectionOf(rejected), sell, route.callee(), route.caller(), null);
                    }
                }
            }
        }

        /** Tries the next usable candidate; when none is left, the call fails with the last failure. */
        void nextAttempt(int lastStatus) {
            if (lastStatus != 0 || lastFailure == 0) {
                lastFailure = lastStatus;
            }
            if (cancelled) {
                end(HangupSide.CALLER, 487, "cancelled by customer");
                return;
            }
            List<VendorCandidate> candidates = route.candidates();
            while (nextCandidate < candidates.size()) {
                VendorCandidate candidate = candidates.get(nextCandidate++);
                long gatewayId = candidate.gateway().id();
                if (!breakers.tryAcquire(gatewayId)) {
                    continue;
                }
                if (admission.takeCps(AdmissionControl.gatewayScope(gatewayId), candidate.gateway().maxCps()).isPresent()) {
                    breakers.release(gatewayId);
                    continue;
                }
                Optional<AdmissionControl.Slot> slot = admission.takeSlot(AdmissionControl.gatewayScope(gatewayId),
                        candidate.gateway().maxConcurrentCalls());
                if (slot.isEmpty()) {
                    breakers.release(gatewayId);
                    continue;
                }
                if (!attempts.isEmpty()) {
                    failovers.increment();
                }
                AdmissionControl.Slot gatewaySlot = slot.get();
                CompletableFuture<List<SipTarget>> targets = stack.resolve(destinationOf(candidate.gateway()));
                if (targets.isDone() && !targets.isCompletedExceptionally()) {
                    startAttempt(candidate, gatewaySlot, targets.resultNow(), 0);
                } else {
                    targets.whenComplete((found, error) -> executor.execute(() -> onResolved(candidate, gatewaySlot, found, error)));
                }
                return;
            }
            failCall(new CallRejection.VendorsExhausted(lastFailure));
        }

        void startAttempt(VendorCandidate candidate, AdmissionControl.Slot gatewaySlot, List<SipTarget> targets, int index) {
            Attempt attempt = new Attempt(this, attempts.size() + 1, candidate, gatewaySlot, targets, index);
            attempts.add(attempt);
            current = attempt;
            attempt.send();
        }

        /** The gateway's targets are known (or DNS failed): start the attempt, unless the call ended meanwhile. */
        void onResolved(VendorCandidate candidate, AdmissionControl.Slot gatewaySlot, List<SipTarget> targets, Throwable error) {
            long gatewayId = candidate.gateway().id();
            if (state == State.ENDED || cancelled) {
                gatewaySlot.release();
                breakers.release(gatewayId);
                if (state != State.ENDED) {
                    nextAttempt(0);
                }
                return;
            }
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                log.warn("call {}: vendor gateway {} ({}) cannot be resolved: {}", id, candidate.gateway().name(),
                        candidate.gateway().host(), cause.getMessage());
                gatewaySlot.release();
                breakers.record(gatewayId, 0, Duration.ZERO);
                nextAttempt(0);
                return;
            }
            startAttempt(candidate, gatewaySlot, targets, 0);
        }

        /**
         * RFC 3263 §4.3: after a transport error, a timeout or a 503 the same gateway is tried at its
         * next DNS target (a new transaction) before the next vendor. The failed target is reported
         * so that other calls try it last for a while. The gateway's breaker admitted this call and
         * its other targets are part of the same attempt: a breaker that the first target's failure
         * just opened does not stop them (it keeps new calls away). False when there is no further
         * target or the gateway's concurrency cap is reached.
         */
        boolean tryNextTarget(Attempt failed) {
            stack.markFailed(failed.targets.get(failed.targetIndex));
            if (failed.targetIndex + 1 >= failed.targets.size() || cancelled || state == State.ENDED) {
                return false;
            }
            long gatewayId = failed.candidate.gateway().id();
            Optional<AdmissionControl.Slot> slot = admission.takeSlot(AdmissionControl.gatewayScope(gatewayId),
                    failed.candidate.gateway().maxConcurrentCalls());
            if (slot.isEmpty()) {
                return false;
            }
            failovers.increment();
            startAttempt(failed.candidate, slot.get(), failed.targets, failed.targetIndex + 1);
            return true;
        }

        void onAttemptFailed(Attempt attempt, int status, SipResponse response) {
            if (state == State.ENDED) {
                return;
            }
            boolean failover = status == 0 || candidateFailoverCodes(attempt).contains(status);
            if (failover && !cancelled) {
                if ((status == 0 || status == 503) && tryNextTarget(attempt)) {
                    return;
                }
                nextAttempt(status);
                return;
            }
            // The callee's own answer (busy, not found, declined...): relay it to the customer.
            if (response != null) {
                SipResponse.Builder relayed = tx.request().createResponse(status, response.reasonPhrase()).toTag(tx.toTag());
                String reasonHeader = response.header(HeaderName.REASON);
                if (reasonHeader != null) {
                    relayed.header(HeaderName.REASON, reasonHeader);
                }
                tx.respond(relayed.build());
            } else {
                tx.respond(487);
            }
            end(HangupSide.CALLEE, status, response == null ? "" : response.reasonPhrase());
        }

        List<Integer> candidateFailoverCodes(Attempt attempt) {
            return attempt.candidate.gateway().failoverCodes();
        }

        void relayProvisional(SipResponse response) {
            if (state == State.ENDED || cancelled) {
                return;
            }
            state = State.RINGING;
            SipResponse.Builder relayed = tx.request().createResponse(response.status(), response.reasonPhrase()).toTag(tx.toTag())
                    .contact(ourContact());
            if (response.bodyLength() > 0) {
                relayed.body(response.contentType(), response.body());
            }
            tx.respond(relayed.build());
        }

        void onAnswered(Attempt attempt, SipResponse response) {
            state = State.ANSWERED;
            answeredAt = attempt.answeredAt;
            callsAnswered.increment();
            if (pddTimer != null) {
                pddTimer.cancel();
            }
            SipResponse.Builder ok = tx.request().createResponse(200, "OK").toTag(tx.toTag())
                    .contact(ourContact())
                    .header(HeaderName.ALLOW, ALLOW);
            if (response.bodyLength() > 0) {
                vendorSdp = response.body();
                ok.body(response.contentType(), response.body());
            }
            if (supportsSessionTimer(invite)) {
                sessionSeconds = SessionExpires.parse(invite.header(HeaderName.SESSION_EXPIRES)).map(SessionExpires::seconds)
                        .orElse(settings.sessionExpires().toSeconds());
                withSessionTimer(ok);
                armSessionTimer();
            }
            tx.respond(ok.build());
            scheduleHangup();
        }

        /**
         * RFC 4028, terminated on the customer leg: the customer refreshes (re-INVITE or UPDATE) within
         * the interval, or the switch ends both legs a little before it runs out (§10: the smaller of
         * 32 s and a third of the interval before). The vendor leg carries no session timer.
         */
        void armSessionTimer() {
            if (sessionTimer != null) {
                sessionTimer.cancel();
            }
            long before = Math.min(32, sessionSeconds / 3);
            sessionTimer = executor.schedule(() -> terminate(HangupSide.SWITCH, 0, "session timer expired"),
                    (sessionSeconds - before) * 1000);
        }

        void withSessionTimer(SipResponse.Builder response) {
            response.header(HeaderName.SESSION_EXPIRES, sessionSeconds + ";refresher=uac").header(HeaderName.REQUIRE, "timer");
        }

        /** Hang up when the held money runs out; ask for more a little before that. */
        void scheduleHangup() {
            long maxMillis = grant.maxDurationSeconds() * 1000;
            long elapsed = Duration.between(answeredAt, clock.instant()).toMillis();
            if (hangupTimer != null) {
                hangupTimer.cancel();
            }
            hangupTimer = executor.schedule(() -> terminate(HangupSide.SWITCH, 0, "credit exhausted"), Math.max(0, maxMillis - elapsed));
            long extendAt = maxMillis - settings.extendBefore().toMillis() - elapsed;
            if (extendTimer != null) {
                extendTimer.cancel();
            }
            if (extendAt > 0) {
                extendTimer = executor.schedule(this::extend, extendAt);
            } else {
                extend();
            }
        }

        void extend() {
            Authorization.Granted current = grant;
            try {
                billingExecutor.execute(() -> {
                    Authorization more = billing.extend(current);
                    executor.execute(() -> {
                        if (state == State.ANSWERED && more instanceof Authorization.Granted granted
                                && granted.maxDurationSeconds() > current.maxDurationSeconds()) {
                            grant = granted;
                            scheduleHangup();
                        }
                    });
                });
            } catch (RejectedExecutionException e) {
                log.warn("Billing queue full: call {} keeps its current maximum duration", id);
            }
        }

        void onCustomerAck(SipRequest ack) {
            customerAcked = true;
        }

        void onStray2xx(SipResponse response) {
            for (Attempt attempt : attempts) {
                if (attempt.callId.equals(response.callId())) {
                    attempt.ack(response);
                }
            }
        }

        void onCustomerCancel() {
            cancelled = true;
            if (state == State.ROUTING) {
                return;   // the authorization callback sees the flag and ends the call
            }
            if (current != null && !current.done && current.answeredAt == null) {
                current.transaction.cancel();
                current.finish(487, "cancelled by customer");
            }
            if (state != State.ANSWERED && state != State.ENDED) {
                tx.respond(487);
                end(HangupSide.CALLER, 487, "cancelled by customer");
            }
        }

        void onInDialogRequest(ServerTransaction request) {
            String method = request.request().method();
            boolean fromCustomer = request.request().callId().equals(invite.callId());
            switch (method) {
                case "BYE" -> {
                    request.respond(200);
                    if (fromCustomer) {
                        terminate(HangupSide.CALLER, 0, "customer hung up");
                    } else {
                        terminate(HangupSide.CALLEE, 0, "vendor hung up");
                    }
                }
                case "OPTIONS", "INFO", "UPDATE", "INVITE" -> {
                    if (state == State.ANSWERED && current != null && current.toTag != null) {
                        relay(request, fromCustomer);
                    } else {
                        request.respond(request.responseBuilder(481).build());
                    }
                }
                default -> request.respond(request.responseBuilder(405).header(HeaderName.ALLOW, ALLOW).build());
            }
        }

        /** Ends an answered or ringing call from any side: BYE/CANCEL the other leg(s), settle. */
        void terminate(HangupSide side, int status, String why) {
            if (state == State.ENDED) {
                return;
            }
            if (state == State.ANSWERED) {
                if (side != HangupSide.CALLEE && current != null) {
                    current.bye(why);
                }
                if (side != HangupSide.CALLER) {
                    byeCustomer(why);
                }
                if (current != null) {
                    current.finish(200, why);
                }
                end(side, 200, why);
                return;
            }
            if (current != null && !current.done) {
                current.transaction.cancel();
                current.finish(487, why);
            }
            SipRejection sip = new SipRejection(503, "Service Unavailable", 16, why, 0);
            tx.respond(tx.request().createResponse(sip.status(), sip.reasonPhrase()).toTag(tx.toTag())
                    .header(HeaderName.REASON, sip.reasonHeader()).build());
            end(side, status, why);
        }

        /**
         * Relays an in-dialog request to the other leg with that leg's Call-ID, tags and CSeq,
         * and its final answer back. A 2xx to a re-INVITE is ACKed by us at once (we are the
         * UAC of that leg); the sender's ACK of our relayed 2xx then ends at {@link #onCustomerAck}.
         */
        void relay(ServerTransaction request, boolean fromCustomer) {
            SipRequest in = request.request();
            Attempt leg = current;
            SipRequest.Builder out;
            SipDestination destination;
            SipTransport transport;
            if (fromCustomer) {
                transport = leg.transport;
                destination = leg.destination;
                leg.cseq++;
                out = SipRequest.builder(in.method(), leg.remoteTarget != null ? leg.remoteTarget : leg.invite.requestUri())
                        .via(ourVia(transport))
                        .from(leg.invite.from())
                        .to(leg.invite.to().withTag(leg.toTag))
                        .callId(leg.callId)
                        .cseq(new CSeq(leg.cseq, in.method()));
            } else {
                Address contactA = invite.contacts().isEmpty() ? null : invite.contacts().get(0);
                transport = tx.reliable() ? SipTransport.TCP : SipTransport.UDP;
                destination = new SipDestination(transport, source.getAddress().getHostAddress(), source.getPort());
                aCseq++;
                out = SipRequest.builder(in.method(), contactA != null && contactA.uri() != null ? contactA.uri() : invite.from().uri())
                        .via(ourVia(transport))
                        .from(invite.to().withTag(tx.toTag()))
                        .to(invite.from())
                        .callId(invite.callId())
                        .cseq(new CSeq(aCseq, in.method()));
            }
            out.maxForwards(Math.max(0, in.maxForwards() - 1)).contact(ourContact());
            // The customer leg's session timer ends here (armSessionTimer): the vendor leg has none.
            boolean localTimer = fromCustomer && sessionSeconds > 0;
            HeaderName[] carried = localTimer
                    ? new HeaderName[] {HeaderName.SUPPORTED, HeaderName.EVENT}
                    : new HeaderName[] {HeaderName.SESSION_EXPIRES, HeaderName.MIN_SE, HeaderName.SUPPORTED, HeaderName.REQUIRE,
                        HeaderName.EVENT};
            for (HeaderName name : carried) {
                String value = in.header(name);
                if (value != null) {
                    out.header(name, value);
                }
            }
            if (in.bodyLength() > 0) {
                out.body(in.contentType(), in.body());
            }
            SipRequest relayed = out.build();
            stack.sendRequest(relayed, destination, new ClientTransactionListener() {
                @Override
                public void onResponse(ClientTransaction transaction, SipResponse response) {
                    if (response.status() < 200) {
                        return;
                    }
                    if (response.isSuccess() && relayed.isInvite()) {
                        SipRequest ack = SipRequest.builder("ACK", relayed.requestUri())
                                .via(ourVia(transport)).from(relayed.from()).to(response.to()).callId(relayed.callId())
                                .cseq(new CSeq(relayed.cseq().sequence(), "ACK")).maxForwards(70).build();
                        stack.sendStateless(ack, destination);
                    }
                    if (response.isSuccess() && response.bodyLength() > 0 && fromCustomer) {
                        vendorSdp = response.body();
                    }
                    SipResponse.Builder back = request.request().createResponse(response.status(), response.reasonPhrase())
                            .toTag(request.toTag()).contact(ourContact());
                    boolean refreshed = localTimer && response.isSuccess() && (relayed.isInvite() || relayed.method().equals("UPDATE"));
                    if (refreshed && state == State.ANSWERED) {
                        armSessionTimer();
                        withSessionTimer(back);
                    } else {
                        for (HeaderName name : new HeaderName[] {HeaderName.SESSION_EXPIRES, HeaderName.REQUIRE, HeaderName.SUPPORTED}) {
                            String value = response.header(name);
                            if (value != null) {
                                back.header(name, value);
                            }
                        }
                    }
                    if (response.bodyLength() > 0) {
                        back.body(response.contentType(), response.body());
                    }
                    request.respond(back.build());
                }

                @Override
                public void onTimeout(ClientTransaction transaction) {
                    request.respond(request.responseBuilder(408).build());
                }
            });
        }

        void byeCustomer(String why) {
            Address contact = invite.contacts().isEmpty() ? null : invite.contacts().get(0);
            SipUri target = contact != null && contact.uri() != null ? contact.uri() : invite.from().uri();
            aCseq++;
            SipTransport transport = tx.reliable() ? SipTransport.TCP : SipTransport.UDP;
            SipRequest bye = SipRequest.builder("BYE", target)
                    .via(ourVia(transport))
                    .from(invite.to().withTag(tx.toTag()))
                    .to(invite.from())
                    .callId(invite.callId())
                    .cseq(new CSeq(aCseq, "BYE"))
                    .maxForwards(70)
                    .header(HeaderName.REASON, "Q.850;cause=16;text=\"" + why + "\"")
                    .build();
            stack.sendRequest(bye, new SipDestination(transport, source.getAddress().getHostAddress(), source.getPort()), IGNORE);
        }

        void failCall(CallRejection rejection) {
            if (state == State.ENDED) {
                return;
            }
            callsRejected.increment();
            tx.respond(rejectionResponse(tx, rejection));
            end(HangupSide.SWITCH, CallRejections.toSip(rejection).status(), CallRejections.toSip(rejection).text());
        }

        /** A call refused before any vendor was tried: answer, write its CDR, free its slots. */
        void refuse(CallRejection rejection, RateSnapshot sellRate, String callee, String caller, Long vendor) {
            callsRejected.increment();
            tx.respond(rejectionResponse(tx, rejection));
            state = State.ENDED;
            releaseSlots();
            forget();
            if (settings.writeRejectedCdrs()) {
                SipRejection sip = CallRejections.toSip(rejection);
                CdrRecord cdr = callCdr(caller, callee, sip.status(), sip.text(), sip.q850Cause(), HangupSide.SWITCH,
                        route == null ? "" : route.currency(), sellRate);
                submitSettlement(() -> billing.settleUnauthorized(id, trunk.accountId(), List.of(cdr)));
            }
        }

        void end(HangupSide side, int status, String why) {
            if (state == State.ENDED) {
                return;
            }
            state = State.ENDED;
            cancelTimers();
            releaseSlots();
            forget();
            for (Attempt attempt : attempts) {
                attempt.finish(attempt.answeredAt != null ? 200 : status, why);
            }
            if (grant != null) {
                settleEnded(side, status, why);
            }
        }

        /** Settles an ended call: every attempt's CDR, the charge, the release of what was held. */
        void settleEnded(HangupSide side, int status, String why) {
            List<CdrRecord> cdrs = new ArrayList<>(attempts.size());
            for (Attempt attempt : attempts) {
                cdrs.add(attempt.cdr(this, side));
            }
            Authorization.Granted settledGrant = grant;
            if (cdrs.isEmpty()) {
                cdrs.add(callCdr(route.caller(), route.callee(), status == 0 ? 487 : status, why, null, side, route.currency(), sell));
            }
            submitSettlement(() -> billing.settle(settledGrant, cdrs));
        }

        /** The CDR of a call that ended before any vendor was tried (attempt 1, no vendor, no cost). */
        CdrRecord callCdr(String caller, String callee, int status, String why, Integer q850, HangupSide side, String currency,
                          RateSnapshot sellRate) {
            Instant now = clock.instant();
            return new CdrRecord(id, 1, settings.nodeId(), invite.callId(), trunk.accountId(), trunk.trunkId(), null, null,
                    callerIn, calleeIn, caller, callee, startedAt, null, now, Duration.between(startedAt, now).toMillis(), 0, null,
                    status, why, q850, side, currency, sellRate, null, null, null, null);
        }

        void submitSettlement(Supplier<java.util.concurrent.CompletableFuture<Void>> settle) {
            if (settled) {
                return;
            }
            settled = true;
            try {
                billingExecutor.execute(() -> settle.get().whenComplete((ok, error) -> {
                    if (error != null) {
                        log.error("Settlement of call {} failed", id, error);
                    }
                }));
            } catch (RejectedExecutionException e) {
                // Never on the event loop, never lost: a settlement the full queue refused gets its own thread.
                log.warn("Billing queue full: settling call {} on a thread of its own", id);
                Thread.ofVirtual().name("settle-" + id).start(settle::get);
            }
        }

        void cancelTimers() {
            for (TransactionExecutor.Cancellable timer : new TransactionExecutor.Cancellable[] {hangupTimer, extendTimer, pddTimer,
                    sessionTimer}) {
                if (timer != null) {
                    timer.cancel();
                }
            }
        }

        void releaseSlots() {
            slots.forEach(AdmissionControl.Slot::release);
        }

        void forget() {
            callsById.remove(id, this);
            callsByCallId.remove(invite.callId(), this);
            for (Attempt attempt : attempts) {
                callsByCallId.remove(attempt.callId, this);
            }
        }

        ActiveCallView view(Instant now) {
            Attempt attempt = current;
            long seconds = answeredAt == null ? 0 : Duration.between(answeredAt, now).toSeconds();
            BigDecimal cost = answeredAt == null || sell == null ? BigDecimal.ZERO
                    : CallRater.charge(sell, Math.max(1, seconds)).cost();
            return new ActiveCallView(id, settings.nodeId(), trunk.accountId(), trunk.trunkName(),
                    attempt == null ? null : attempt.candidate.vendorAccountId(),
                    attempt == null ? null : attempt.candidate.vendorName(),
                    callerIn, calleeIn, state.name().toLowerCase(java.util.Locale.ROOT), startedAt, answeredAt, seconds, cost,
                    route == null ? "" : route.currency());
        }
    }

}
