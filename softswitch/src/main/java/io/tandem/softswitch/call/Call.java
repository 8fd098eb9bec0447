package io.tandem.softswitch.call;

import io.tandem.billing.authorization.Authorization;
import io.tandem.billing.cdr.CdrMediaStats;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.routing.NoRoute;
import io.tandem.routing.RouteDecision;
import io.tandem.routing.RouteResult;
import io.tandem.softswitch.call.admission.AdmissionControl;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.InviteServerTransaction;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call, from admission to settlement: the only owner of its {@link CallState}. It mediates
 * between its parts, which never call each other: {@link CustomerLeg} (A-leg), {@link VendorHunt}
 * with its {@link VendorAttempt}s (B-legs), {@link CallCredit} (money), {@link SessionTimer},
 * {@link InDialogRelay} and the {@link MediaAnchor}. Confined to its event loop: every method runs
 * there (other threads post with {@code loop().execute}); readers elsewhere see {@link #snapshot()}.
 *
 * <pre>
 * state          event                                      action                                            next
 * ROUTING        no route / blocked                          reject 404/403; rejected CDR                     ENDED
 * ROUTING        billing queue full                          reject 503 overloaded; rejected CDR              ENDED
 * ROUTING        authorization rejected                      reject 402/403/503; rejected CDR                 ENDED
 * ROUTING        authorization granted, cancelled            487; settle                                      ENDED
 * ROUTING        authorization granted                       arm post-dial timer; try first vendor            TRYING
 * ROUTING        customer CANCEL                             remember; decided when billing answers           ROUTING
 * ROUTING        operator / shutdown                         503 (cause 16); late grant is settled            ENDED
 * TRYING|RINGING 18x from the current attempt                relay to the customer (Record-Route, our Contact) RINGING
 * TRYING|RINGING 18x whose SDP must be and cannot be anchored CANCEL it; next vendor (attempt 488/503)          same
 * TRYING|RINGING 2xx from the current attempt                ACK; 200 to customer once the media side is      ANSWERED
 *                                                            ready (at most 1 s); credit and session timers
 *                (2xx with the offer: ACK waits for the customer's ACK, whose answer it carries)
 * TRYING|RINGING 2xx whose SDP must be and cannot be anchored ACK and BYE it; next vendor (attempt 488/503)      same
 * TRYING|RINGING timeout, no 100, failover code              next DNS target (0, 503) or next vendor          same
 * TRYING|RINGING no candidate left / post-dial timer         CANCEL current; 503 all vendors failed           ENDED
 * TRYING|RINGING other final (486, 404...)                   relay status and Reason                          ENDED
 * TRYING|RINGING customer CANCEL                             CANCEL B-leg; 487                                ENDED
 * TRYING|RINGING operator / shutdown / no ACK                CANCEL B-leg; 503 (cause 16)                     ENDED
 * ANSWERED       customer's ACK (late offer)                 its answer, anchored, in the ACK to the vendor   ANSWERED
 *                                                            once the media side is ready (at most 1 s)
 * ANSWERED       BYE from customer or vendor (dialog match)  200; BYE the other leg; settle                   ENDED
 * ANSWERED       credit / session timer / operator / no ACK  BYE both legs (cause 16); settle                 ENDED
 * ANSWERED       extension granted                           re-arm the credit timers                         ANSWERED
 * ANSWERED       re-INVITE/UPDATE/INFO/OPTIONS               relay to the other leg (491 while one pending)   ANSWERED
 * any            in-dialog request whose tags match no leg   481                                              same
 * not ANSWERED   in-dialog re-INVITE/UPDATE/INFO/OPTIONS     481                                              same
 * ENDED          late grant                                  settle (the hold comes back)                     ENDED
 * any            2xx from an attempt that may not answer     ACK and BYE it                                   same
 * </pre>
 */
final class Call implements VendorHunt.Listener {
    private static final Logger log = LoggerFactory.getLogger(Call.class);

    private final CallFacts facts;
    private final CallParts parts;
    private final TransactionExecutor loop;
    private final CustomerLeg customer;
    private final List<AdmissionControl.Slot> slots;
    private final CallCredit credit;
    private final SessionTimer sessionTimer;
    private final MediaAnchor media;
    private final InDialogRelay relay;
    private CallState state = CallState.ROUTING;
    private RouteDecision route;
    private RateSnapshot sell;
    private VendorHunt hunt;
    private boolean cancelled;
    private Instant answeredAt;
    /** The answering 2xx's body as the customer sees it, anchored by {@link #anchorAnswer} just before {@link #onAnswered}. */
    private MessageBody answer;
    /** The customer got our 200 (it waits after the vendor's for the media side: {@link MediaAnchor#ready()}). */
    private boolean customerAnswered;
    private volatile CallSnapshot snapshot;

    Call(CallFacts facts, CallParts parts, TransactionExecutor loop, InviteServerTransaction tx, List<AdmissionControl.Slot> slots) {
        this.facts = facts;
        this.parts = parts;
        this.loop = loop;
        this.slots = slots;
        this.customer = new CustomerLeg(tx, parts.sip(), loop);
        this.credit = new CallCredit(facts, parts.billing(), parts.billingExecutor(), loop, parts.clock(),
                parts.settings().extendBefore(), () -> terminate(HangupSide.SWITCH, "credit exhausted"));
        this.sessionTimer = new SessionTimer(loop, () -> terminate(HangupSide.SWITCH, "session timer expired"));
        this.media = parts.media().open(facts, loop);
        this.relay = new InDialogRelay(parts, loop, customer, media, sessionTimer);
        publish();
    }

    CallFacts facts() {
        return facts;
    }

    TransactionExecutor loop() {
        return loop;
    }

    CallSnapshot snapshot() {
        return snapshot;
    }

    CallState state() {
        return state;
    }

    /** Never started (a merged request): only the media side was opened. */
    void discard() {
        media.close();
    }

    /** Routes the call and asks billing; the rest follows from their answers. */
    void start() {
        notify(new CallEvent.Started(facts.id(), facts));
        RouteResult result = parts.routing().route(facts.trunk().trunkId(), facts.calleeIn(), facts.callerIn(), facts.startedAt());
        switch (result) {
            case NoRoute noRoute -> refuse(CallRejections.of(noRoute),
                    noRoute.sellRate() == null ? null : CallCdrs.snapshot(noRoute.sellRate()), noRoute.callee(), noRoute.caller());
            case RouteDecision decision -> {
                route = decision;
                sell = CallCdrs.snapshot(decision.sellRate());
                publish();
                if (!credit.authorize(sell, this::onAuthorization)) {
                    refuse(new CallRejection.Overloaded("billing queue full"), sell, route.callee(), route.caller());
                }
            }
        }
    }

    private void onAuthorization(Authorization authorization) {
        switch (authorization) {
            case Authorization.Granted granted -> {
                if (state == CallState.ENDED) {
                    // Hung up (operator, shutdown) while billing was deciding: give the hold back.
                    settle(HangupSide.SWITCH, 0, "ended before authorization");
                } else if (cancelled) {
                    customer.requestTerminated();
                    end(HangupSide.CALLER, 487, "cancelled by customer");
                } else {
                    moveTo(CallState.TRYING);
                    hunt = new VendorHunt(parts, facts, loop, route, customer.invite(), media, this);
                    hunt.start();
                }
            }
            case Authorization.Rejected rejected -> {
                if (state != CallState.ENDED) {
                    refuse(CallRejections.of(rejected, facts.trunk().accountId()), sell, route.callee(), route.caller());
                }
            }
        }
    }

    // ------------------------------------------------------------------ from the vendor side (VendorHunt.Listener)

    @Override
    public void onAttemptStarted(VendorAttempt attempt) {
        parts.registry().alias(attempt.callId(), this);
        publish();
        notify(new CallEvent.AttemptStarted(facts.id(), attempt.number(), attempt.callId(), attempt.candidate().gateway().id()));
    }

    @Override
    public void onProvisional(VendorAttempt attempt, SipResponse response) {
        if (state == CallState.ENDED || cancelled) {
            return;
        }
        MessageBody early = media.towardCustomer(LegRequests.bodyOf(response));
        CallRejection refused = media.refusal();
        if (refused != null) {
            hunt.earlyMediaRefused(attempt, refused);
            return;
        }
        moveTo(CallState.RINGING);
        customer.relayProvisional(response, early);
    }

    @Override
    public CallRejection anchorAnswer(VendorAttempt attempt, SipResponse response) {
        answer = media.towardCustomer(LegRequests.bodyOf(response));
        return media.refusal();
    }

    @Override
    public void onAnswered(VendorAttempt attempt, SipResponse response) {
        answeredAt = attempt.answeredAt();
        parts.counters().answered.increment();
        moveTo(CallState.ANSWERED);
        media.answered();
        // A remote media node learns the vendor's media address from the update this answer made: the customer
        // starts talking on our 200, so the 200 waits for the node (docs/media.md), never longer than the bound.
        whenMediaReady(() -> connect(attempt, false));
    }

    /**
     * Runs {@code step} once on the call's loop, as soon as the media side is ready for media, at the latest after
     * {@link #MEDIA_READY_WAIT_MS}; at once when it already is.
     */
    private void whenMediaReady(Runnable step) {
        ReadinessWait.runOnce(loop, media.ready(), MEDIA_READY_WAIT_MS, step);
    }

    /**
     * The customer's 200: once, when the media side is ready for it (or {@code ending}: the call ends while the 200
     * waited, so it goes now and the BYE follows it, as if the hang-up had crossed the 200 on the wire). A CANCEL
     * meanwhile is such a crossing too: it has no effect once the vendor answered.
     */
    private void connect(VendorAttempt attempt, boolean ending) {
        if (customerAnswered || state != CallState.ANSWERED) {
            return;
        }
        customerAnswered = true;
        sessionTimer.start(customer.invite(), parts.settings().sessionExpires());
        customer.answer(answer, sessionTimer);
        answer = null;
        if (ending) {
            return;
        }
        if (!attempt.awaitsAnswer()) {
            reofferIfMoved(attempt);
        }
        credit.startClock(answeredAt);
    }

    private void reofferIfMoved(VendorAttempt attempt) {
        MessageBody reoffer = media.reofferTowardVendor();
        if (reoffer != null) {
            relay.reoffer(attempt, reoffer);
        }
    }

    /** The answered vendor's ACK of our 2xx to a re-INVITE it sent (relayed to the customer). */
    void onVendorAck(SipRequest ack) {
        VendorAttempt vendor = hunt == null ? null : hunt.current();
        if (state == CallState.ANSWERED && vendor != null && vendor.callId().equals(ack.callId())) {
            relay.onAck(ack, false);
        }
    }

    /**
     * The customer's ACK of our 2xx. When the vendor's 2xx carried the offer (the customer's INVITE had none: late
     * offer) the customer's answer is in this ACK: it crosses the media side and goes to the vendor in the ACK
     * the vendor waits for. An answer that must be anchored and cannot be ends the call (it cannot be refused).
     */
    void onCustomerAck(SipRequest ack) {
        if (state != CallState.ANSWERED || hunt == null) {
            return;
        }
        if (ack.cseq().sequence() != customer.invite().cseq().sequence()) {
            relay.onAck(ack, true);   // of a relayed re-INVITE
            return;
        }
        VendorAttempt answered = hunt.current();
        if (answered == null || !answered.awaitsAnswer()) {
            return;
        }
        MessageBody body = LegRequests.bodyOf(ack);
        if (body == null) {
            log.warn("Call {}: the customer's ACK carries no answer to the vendor's offer; the vendor's ACK goes without", facts.id());
        } else {
            body = media.towardVendor(body);
            CallRejection refused = media.refusal();
            if (refused != null) {
                answered.ackWithAnswer(null);
                terminate(HangupSide.SWITCH, CallRejections.toSip(refused).text());
                return;
            }
        }
        // As the customer's 200 did, the vendor's ACK waits for a media node to know where the customer is: the
        // vendor talks from its ACK on (it retransmits its 200 meanwhile, RFC 3261 §13.3.1.4)
        MessageBody answer = body;
        whenMediaReady(() -> ackVendor(answered, answer));
    }

    /** The vendor's ACK with the customer's answer, once (the call may have ended meanwhile: its BYE went with an ACK). */
    private void ackVendor(VendorAttempt answered, MessageBody answer) {
        if (state != CallState.ANSWERED || !answered.awaitsAnswer()) {
            return;
        }
        answered.ackWithAnswer(answer);
        reofferIfMoved(answered);
    }

    @Override
    public void onHuntStep(HuntStep step) {
        if (state == CallState.ENDED) {
            return;
        }
        switch (step) {
            case HuntStep.Relay relayed -> {
                customer.relayFinal(relayed.answer());
                end(HangupSide.CALLEE, relayed.answer().status(), relayed.answer().reasonPhrase());
            }
            case HuntStep.Exhausted exhausted -> fail(new CallRejection.VendorsExhausted(exhausted.lastStatus()));
            case HuntStep.Refused refused -> fail(refused.rejection());
            case HuntStep.Cancelled c -> {
                customer.requestTerminated();
                end(HangupSide.CALLER, 487, "cancelled by customer");
            }
        }
    }

    @Override
    public boolean hunting() {
        return state == CallState.TRYING || state == CallState.RINGING;
    }

    @Override
    public boolean ended() {
        return state == CallState.ENDED;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public Instant paidUntil() {
        return credit.paidUntil();
    }

    // ------------------------------------------------------------------ from the customer side and the node

    void onCustomerCancel() {
        cancelled = true;
        if (state == CallState.ROUTING) {
            return;   // the authorization callback sees the flag and ends the call
        }
        if (hunt != null) {
            hunt.cancelCurrent(487, "cancelled by customer");
        }
        if (hunting()) {
            customer.requestTerminated();
            end(HangupSide.CALLER, 487, "cancelled by customer");
        }
    }

    /** A request with a To tag on one of the call's Call-IDs: only the dialogs' own peers are heard (481 otherwise). */
    void onInDialogRequest(ServerTransaction request) {
        SipRequest in = request.request();
        boolean fromCustomer = in.callId().equals(facts.sipCallId());
        VendorAttempt vendor = hunt == null ? null : hunt.current();
        boolean vendorDialog = vendor != null && vendor.dialog() != null && vendor.callId().equals(in.callId());
        boolean matches = fromCustomer ? customer.dialog().matches(in) : vendorDialog && vendor.dialog().matches(in);
        if (!matches || state == CallState.ENDED) {
            request.respond(481);
            return;
        }
        switch (in.method()) {
            case SipRequest.BYE -> {
                request.respond(200);
                if (fromCustomer) {
                    terminate(HangupSide.CALLER, "customer hung up");
                } else {
                    terminate(HangupSide.CALLEE, "vendor hung up");
                }
            }
            case SipRequest.OPTIONS, "INFO", "UPDATE", SipRequest.INVITE -> {
                if (state == CallState.ANSWERED && vendorDialogUp(vendor)) {
                    relay.relay(request, fromCustomer, vendor);
                } else {
                    request.respond(481);
                }
            }
            default -> request.respond(request.responseBuilder(405).header(HeaderName.ALLOW, LegRequests.ALLOW).build());
        }
    }

    private static boolean vendorDialogUp(VendorAttempt vendor) {
        return vendor != null && vendor.dialog() != null;
    }

    /** The vendor's 2xx came again after its transaction ended (our ACK was lost). */
    void onStray2xx(SipResponse response) {
        if (hunt != null) {
            hunt.reAck(response.callId());
        }
    }

    /** Ends the call from any side: BYE the answered legs or CANCEL the unanswered one; settle. */
    void terminate(HangupSide side, String why) {
        if (state == CallState.ENDED) {
            return;
        }
        if (state == CallState.ANSWERED) {
            VendorAttempt answered = hunt.current();
            connect(answered, true);
            if (side != HangupSide.CALLEE) {
                answered.bye(why);
            }
            if (side != HangupSide.CALLER) {
                customer.bye(why);
            }
            answered.finish(200, why);
            end(side, 200, why);
            return;
        }
        if (hunt != null) {
            hunt.cancelCurrent(487, why);
        }
        customer.reject(new CallRejection.EndedBySwitch(why));
        end(side, 0, why);
    }

    private void fail(CallRejection rejection) {
        parts.counters().reject(rejection);
        customer.reject(rejection);
        SipRejection sip = CallRejections.toSip(rejection);
        end(HangupSide.SWITCH, sip.status(), sip.text());
    }

    /** A call refused before any vendor was tried: answer, write its CDR, free its slots. */
    private void refuse(CallRejection rejection, RateSnapshot sellRate, String callee, String caller) {
        parts.counters().reject(rejection);
        customer.reject(rejection);
        release();
        notify(new CallEvent.Ended(facts.id(), HangupSide.SWITCH, CallRejections.toSip(rejection).status(), "refused"));
        if (parts.settings().writeRejectedCdrs()) {
            SipRejection sip = CallRejections.toSip(rejection);
            credit.settleUnauthorized(List.of(CallCdrs.withoutVendor(parts.settings().nodeId(), facts, caller, callee, sip.status(),
                    sip.text(), sip.q850Cause(), HangupSide.SWITCH, route == null ? "" : route.currency(), sellRate, parts.clock().now())));
        }
    }

    private void end(HangupSide side, int status, String why) {
        if (state == CallState.ENDED) {
            return;
        }
        release();
        if (hunt != null) {
            hunt.finishAll(status, why);
        }
        notify(new CallEvent.Ended(facts.id(), side, status, why));
        if (credit.granted()) {
            settle(side, status, why);
        }
    }

    /** ENDED: timers off, slots and media freed, gone from the registry. */
    private void release() {
        moveTo(CallState.ENDED);
        credit.cancelTimers();
        sessionTimer.stop();
        if (hunt != null) {
            hunt.stopTimer();
        }
        slots.forEach(AdmissionControl.Slot::release);
        parts.registry().forget(this);
        media.close();
    }

    /**
     * Every attempt's CDR (or one without a vendor), the charge and the release of what was held. The CDR of the
     * attempt that carried the media gets the relay's figures: the charge waits for the media side to report
     * (one hop to its loop), at most {@link #MEDIA_STATS_WAIT_MS}; the end time is taken now either way.
     */
    private void settle(HangupSide side, int status, String why) {
        Instant now = parts.clock().now();
        CompletableFuture<CdrMediaStats> stats = media.closed().toCompletableFuture();
        if (stats.isDone()) {
            settle(side, status, why, now, stats.isCompletedExceptionally() ? null : stats.join());
            return;
        }
        stats.copy().completeOnTimeout(null, MEDIA_STATS_WAIT_MS, TimeUnit.MILLISECONDS).whenComplete((figures, error) -> {
            if (error != null) {
                log.warn("Call {}: media figures lost, CDR written without them", facts.id(), error);
            }
            loop.execute(() -> settle(side, status, why, now, error == null ? figures : null));
        });
    }

    /** How long a CDR waits for the media side's figures before it is written without them. */
    static final long MEDIA_STATS_WAIT_MS = 2000;
    /** The longest the customer's 200 waits for the media side after the vendor answered (a media node's control timeout is 700 ms). */
    static final long MEDIA_READY_WAIT_MS = 1000;

    private void settle(HangupSide side, int status, String why, Instant now, CdrMediaStats mediaStats) {
        List<CdrRecord> cdrs = new ArrayList<>(2);
        if (hunt != null) {
            for (VendorAttempt attempt : hunt.attempts()) {
                CdrRecord cdr = CallCdrs.attempt(parts.settings().nodeId(), facts, route, sell, attempt, side, now);
                cdrs.add(attempt == hunt.current() && mediaStats != null ? cdr.withMedia(mediaStats) : cdr);
            }
        }
        if (cdrs.isEmpty()) {
            cdrs.add(CallCdrs.withoutVendor(parts.settings().nodeId(), facts, route.caller(), route.callee(), status == 0 ? 487 : status,
                    why, null, side, route.currency(), sell, now));
        }
        credit.settle(cdrs);
    }

    private void moveTo(CallState next) {
        if (state != next) {
            state = next;
            publish();
            notify(new CallEvent.StateChanged(facts.id(), next));
        }
    }

    /** Publishes what readers on other threads may see of the call (the live-call list). */
    private void publish() {
        VendorAttempt attempt = hunt == null ? null : hunt.current();
        snapshot = new CallSnapshot(facts, state, attempt == null ? null : attempt.candidate().vendorAccountId(),
                attempt == null ? null : attempt.candidate().vendorName(), answeredAt, sell, route == null ? null : route.currency());
    }

    private void notify(CallEvent event) {
        try {
            parts.observer().on(event);
        } catch (RuntimeException e) {
            log.error("Call observer failed on {}", event, e);
        }
    }
}
