package io.tandem.softswitch.call;

import io.tandem.billing.authorization.CallAuthorizer;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.softswitch.call.admission.AdmissionControl;
import io.tandem.softswitch.call.identify.CustomerSource;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.call.identify.RegisteredSources;
import io.tandem.softswitch.call.identify.TrunkIdentification;
import io.tandem.softswitch.call.quality.QualityStats;
import io.tandem.softswitch.call.quality.VendorBreakers;
import io.tandem.softswitch.sip.SipEndpoint;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.FirstLook;
import io.tandem.softswitch.sip.transaction.InviteServerTransaction;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import io.tandem.softswitch.sip.transaction.SipRequestHandler;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The B2BUA's entry: every customer INVITE that {@link InviteScreening} admits becomes a
 * {@link Call}; everything else is dispatched by method and Call-ID to the call it belongs to
 * (docs/call-engine.md: the parts, the state table, the threading rule).
 *
 * <p>Threading: a call is created on the event loop of its INVITE's Call-ID and lives there;
 * every transaction, timer and callback of the call runs on that loop, including its B-legs
 * (started with that loop, whatever their Call-IDs hash to). Requests that arrive on another loop
 * are posted to the call's. Database work runs on {@code billingExecutor}. Nothing here blocks.
 */
public final class CallEngine implements SipRequestHandler {

    private final CallEngineSettings settings;
    private final CallRouting routing;
    private final Supplier<TrunkIdentification> trunks;
    private final DigestAuthenticator digest;
    private final AdmissionControl admission;
    private final VendorBreakers breakers;
    private final QualityStats quality;
    private final CallAuthorizer billing;
    private final Executor billingExecutor;
    private final CallClock clock;
    private final CallObserver observer;
    private final MediaAnchor.Factory media;
    private final CallRegistry registry;
    private final CallCounters counters = new CallCounters();
    private volatile boolean draining;
    private volatile boolean warmingUp;
    private final List<java.util.function.Consumer<Boolean>> availabilityListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CallParts parts;
    private volatile InviteScreening screening;
    private final CustomerSource customerSource;
    private volatile DigestFailureBans digestBans;
    private volatile RegisteredSources registered = RegisteredSources.NONE;
    private volatile RegisteredTargets registeredTargets = RegisteredTargets.NONE;

    public CallEngine(CallEngineSettings settings, CallRouting routing, Supplier<TrunkIdentification> trunks, DigestAuthenticator digest,
                      AdmissionControl admission, VendorBreakers breakers, QualityStats quality, CallAuthorizer billing,
                      Executor billingExecutor, CallClock clock, CallObserver observer, MediaAnchor.Factory media) {
        this.settings = settings;
        this.routing = routing;
        this.trunks = trunks;
        this.digest = digest;
        this.admission = admission;
        this.breakers = breakers;
        this.quality = quality;
        this.billing = billing;
        this.billingExecutor = billingExecutor;
        this.clock = clock;
        this.observer = observer;
        this.media = media;
        this.registry = new CallRegistry(settings.nodeId());
        this.customerSource = new CustomerSource(settings.trustedProxies());
    }

    /** The SIP stack is started with this engine as its handler, so it is attached afterwards. */
    public void attach(SipEndpoint sip) {
        this.digestBans = new DigestFailureBans(sip, settings.digestGuessLimits(), clock::nanos);
        this.screening = new InviteScreening(trunks, digest, digestBans, sip, admission, settings.sessionMinSe(), registered);
        this.parts = new CallParts(settings, routing, sip, billing, billingExecutor, clock, admission, breakers, quality, registry,
                counters, observer, media, registeredTargets);
    }

    /**
     * Gateways with a registered trunk reach its registered contact through these (docs/registrations.md).
     * Set before {@link #attach}; without it they are skipped.
     */
    public void reachRegisteredContacts(RegisteredTargets targets) {
        if (parts != null) {
            throw new IllegalStateException("registered targets are set before the engine is attached");
        }
        this.registeredTargets = targets;
    }

    /**
     * Source addresses of registered contacts identify their trunk as its CIDRs do (docs/registrations.md).
     * Set before {@link #attach}.
     */
    public void identifyRegisteredSources(RegisteredSources sources) {
        if (parts != null) {
            throw new IllegalStateException("registered sources are set before the engine is attached");
        }
        this.registered = sources;
    }

    /** The digest guess counting of this node (after {@link #attach}), shared with the registrar's REGISTER answers. */
    public DigestFailureBans digestFailureBans() {
        return digestBans;
    }

    // ------------------------------------------------------------------ public operations

    /** Calls in progress on this node, from the snapshots they published. */
    public List<ActiveCallView> activeCalls() {
        return registry.list(clock.now());
    }

    public int activeCallCount() {
        return registry.count();
    }

    /**
     * Calls refused for {@code reasonName}, one of {@link CallRejections#reasonNames()}: each kind of
     * {@link CallRejection}, and {@link CallRejections#SILENCED} for INVITEs dropped without an answer.
     */
    public long rejected(String reasonName) {
        return counters.rejected(reasonName);
    }

    public CallStats stats() {
        return counters.snapshot(registry.count());
    }

    /** Hangs up a call by id (both legs, hangup side "switch"); false if no such call here. */
    public boolean hangUp(UUID id) {
        return registry.hangUp(id, "hung up by operator");
    }

    /** Ends a call for a reason of the switch's own (e.g. {@code media timeout}): BYE both legs with it; any thread. */
    public boolean hangUp(UUID id, String why) {
        return registry.hangUp(id, why);
    }

    /** Ends every call (node shutdown). */
    public void hangUpAll(String why) {
        registry.hangUpAll(why);
    }

    /** Completes when no call is left on this node. */
    public CompletableFuture<Void> whenEmpty() {
        return registry.whenEmpty();
    }

    /** While draining, new INVITEs get 503 with Retry-After; calls in progress go on. */
    public void setDraining(boolean drain) {
        draining = drain;
        announceAvailability();
    }

    public boolean draining() {
        return draining;
    }

    /**
     * While warming up (after a start, until the node's code is compiled), new INVITEs get 503 with
     * Retry-After, as while draining; a node starts warmed up unless this is set.
     */
    public void setWarmingUp(boolean warming) {
        warmingUp = warming;
        announceAvailability();
    }

    public boolean warmingUp() {
        return warmingUp;
    }

    /** True when new calls are taken: neither draining nor warming up. */
    public boolean acceptingCalls() {
        return !draining && !warmingUp;
    }

    /**
     * Told {@link #acceptingCalls()} now and on every change, e.g. so that keep-alive probes from a
     * load balancer are answered 503 while the node takes no calls.
     */
    public void onAvailabilityChange(java.util.function.Consumer<Boolean> listener) {
        availabilityListeners.add(listener);
        listener.accept(acceptingCalls());
    }

    private void announceAvailability() {
        boolean accepting = acceptingCalls();
        availabilityListeners.forEach(listener -> listener.accept(accepting));
    }

    // ------------------------------------------------------------------ SipRequestHandler

    /**
     * Before any transaction state: strangers are challenged or refused once, statelessly (no
     * retransmission to a possibly spoofed source, no memory held); sources being slowed get no
     * answer; requests for calls that do not exist get a stateless 481, methods the switch does
     * not serve a stateless 405. Only identified customers' INVITEs and requests of live calls
     * get a server transaction. Runs on the loop that read the request; answers from memory.
     */
    @Override
    public FirstLook firstLook(SipRequest request, InetSocketAddress source) {
        if (parts == null) {
            return new FirstLook.StatelessAnswer(request.createResponse(503).header(HeaderName.RETRY_AFTER, "5"));
        }
        if (request.to().tag() != null) {
            return registry.bySipCallId(request.callId()) == null
                    ? new FirstLook.StatelessAnswer(request.createResponse(481))
                    : FirstLook.TRANSACTION;
        }
        return switch (request.method()) {
            case SipRequest.INVITE -> firstLookAtInvite(request, source);
            case SipRequest.OPTIONS -> FirstLook.TRANSACTION;
            case SipRequest.BYE -> new FirstLook.StatelessAnswer(request.createResponse(481));
            default -> new FirstLook.StatelessAnswer(request.createResponse(405).header(HeaderName.ALLOW, LegRequests.ALLOW));
        };
    }

    private FirstLook firstLookAtInvite(SipRequest invite, InetSocketAddress source) {
        counters.offered.increment();
        if (source == null) {
            return new FirstLook.Silence("no source to answer");
        }
        InetSocketAddress customer = customerSource.of(invite, source);
        return switch (screening.identify(invite, customer)) {
            case InviteScreening.Identification.Identified identified -> new FirstLook.Transaction(identified);
            case InviteScreening.Identification.Challenge challenge -> {
                SipResponse.Builder response = invite.createResponse(407);
                for (String header : digest.challenges(customer.getAddress(), challenge.stale(), !challenge.sha256Only())) {
                    response.addHeader(HeaderName.PROXY_AUTHENTICATE, header);
                }
                yield new FirstLook.StatelessAnswer(response);
            }
            case InviteScreening.Identification.Refused refused -> {
                counters.reject(refused.rejection());
                yield new FirstLook.StatelessAnswer(CallRejections.statelessResponse(invite, refused.rejection()));
            }
            case InviteScreening.Identification.Silenced silenced -> {
                counters.reject(CallRejections.SILENCED);
                yield new FirstLook.Silence(silenced.why());
            }
        };
    }

    @Override
    public void onRequest(ServerTransaction transaction) {
        if (parts == null) {
            transaction.respond(transaction.responseBuilder(503).header(HeaderName.RETRY_AFTER, "5").build());
            return;
        }
        SipRequest request = transaction.request();
        if (request.to().tag() == null) {
            switch (request.method()) {
                case SipRequest.INVITE -> newCall((InviteServerTransaction) transaction);
                case SipRequest.OPTIONS -> transaction.respond(transaction.responseBuilder(200).header(HeaderName.ALLOW, LegRequests.ALLOW).build());
                case SipRequest.BYE -> transaction.respond(481);
                default -> transaction.respond(transaction.responseBuilder(405).header(HeaderName.ALLOW, LegRequests.ALLOW).build());
            }
            return;
        }
        Call call = registry.bySipCallId(request.callId());
        if (call == null) {
            transaction.respond(481);
            return;
        }
        call.loop().execute(() -> call.onInDialogRequest(transaction));
    }

    @Override
    public void onCancel(InviteServerTransaction invite, SipRequest cancel) {
        Call call = registry.bySipCallId(cancel.callId());
        if (call == null || !call.facts().sipCallId().equals(cancel.callId())) {
            invite.respond(487);
            return;
        }
        call.loop().execute(call::onCustomerCancel);
    }

    @Override
    public void onAck(SipRequest ack) {
        // the ACK of a 2xx we sent: it may carry the answer to an offer in that 2xx (late offer, RFC 3264 §4)
        Call call = registry.bySipCallId(ack.callId());
        if (call == null) {
            return;
        }
        if (call.facts().sipCallId().equals(ack.callId())) {
            call.loop().execute(() -> call.onCustomerAck(ack));
        } else {
            call.loop().execute(() -> call.onVendorAck(ack));
        }
    }

    @Override
    public void onAckTimeout(InviteServerTransaction invite) {
        Call call = registry.bySipCallId(invite.request().callId());
        if (call != null) {
            call.loop().execute(() -> call.terminate(HangupSide.SWITCH, "no ACK from customer"));
        }
    }

    @Override
    public void onStrayResponse(SipResponse response) {
        // A 2xx retransmitted by a vendor after its INVITE transaction ended: our ACK was lost.
        if (response.isSuccess() && SipRequest.INVITE.equals(response.cseq().method())) {
            Call call = registry.bySipCallId(response.callId());
            if (call != null) {
                call.loop().execute(() -> call.onStray2xx(response));
            }
        }
    }

    // ------------------------------------------------------------------ a new call

    private void newCall(InviteServerTransaction tx) {
        InetSocketAddress source = tx.source();
        if (source == null) {
            // The connection closed before the INVITE was handled: there is no one to answer.
            return;
        }
        if (!(tx.firstLook() instanceof InviteScreening.Identification.Identified identified)) {
            // firstLook gives an INVITE a transaction only once its customer is identified.
            throw new IllegalStateException("INVITE " + tx.request().callId() + " reached the call engine without being identified");
        }
        if (draining) {
            refuse(tx, new CallRejection.NodeDraining());
            return;
        }
        if (warmingUp) {
            refuse(tx, new CallRejection.NodeWarmingUp());
            return;
        }
        SipRequest invite = tx.request();
        switch (screening.admit(invite, identified.trunk())) {
            case InviteScreening.Screening.Refused refused -> refuse(tx, refused.rejection());
            case InviteScreening.Screening.Admitted admitted -> {
                TransactionExecutor loop = parts.sip().executorFor(invite.callId());
                CallFacts facts = new CallFacts(UUID.randomUUID(), invite.callId(), admitted.trunk(), source, userOf(invite.from().uri()),
                        userOf(invite.requestUri()), clock.now(), clock.nanos());
                Call call = new Call(facts, parts, loop, tx, admitted.slots());
                if (!registry.register(call)) {
                    admitted.slots().forEach(AdmissionControl.Slot::release);
                    call.discard();
                    refuse(tx, new CallRejection.MergedRequest());
                    return;
                }
                call.start();
            }
        }
    }

    private static String userOf(io.tandem.softswitch.sip.message.SipUri uri) {
        return uri == null || uri.user() == null ? "" : uri.user();
    }

    private void refuse(InviteServerTransaction tx, CallRejection rejection) {
        counters.reject(rejection);
        tx.respond(CallRejections.response(tx, rejection));
    }
}
