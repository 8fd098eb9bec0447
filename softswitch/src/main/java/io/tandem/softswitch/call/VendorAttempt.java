package io.tandem.softswitch.call;

import io.tandem.routing.VendorCandidate;
import io.tandem.softswitch.call.admission.AdmissionControl;
import io.tandem.softswitch.sip.SipEndpoint;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.dialog.Dialog;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SentMessage;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.ClientTransaction;
import io.tandem.softswitch.sip.transaction.ClientTransactionListener;
import io.tandem.softswitch.sip.transaction.InviteClientTransaction;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import io.tandem.softswitch.sip.transport.SipDestination;
import io.tandem.softswitch.sip.transport.SipTarget;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One attempt to one vendor gateway target: our INVITE (the B-leg UAC), its answers, and once
 * answered the B-leg dialog ({@link Dialog}: the vendor's tag, Contact and Record-Route) from
 * which the ACK, BYE and relayed requests are built. Its client transaction is started on the
 * call's loop, so every callback arrives there whatever the B-leg Call-ID hashes to.
 */
final class VendorAttempt implements ClientTransactionListener {

    /** What the attempt reports; {@link VendorHunt} implements it. */
    interface Events {
        void onProvisional(VendorAttempt attempt, SipResponse response);

        void onAnswered(VendorAttempt attempt, SipResponse response);

        /**
         * Anchors the media of a 2xx that may answer the call, before it does; the rejection when its SDP
         * cannot be anchored although the call must be (the attempt then ends: ACK, BYE, next vendor).
         */
        CallRejection anchorAnswer(VendorAttempt attempt, SipResponse response);

        /** The 2xx was ACKed and BYEd since its answer SDP could not be anchored: try the next vendor. */
        void onAnswerRefused(VendorAttempt attempt, int status);

        /** Failed with a final answer ({@code response} not null) or with status 0 (timeout, transport error, no 100). */
        void onFailed(VendorAttempt attempt, int status, SipResponse response);

        /** Whether a 2xx to this attempt may still answer the call. */
        boolean mayAnswer(VendorAttempt attempt);

        /** The moment the answered call is paid until, or null. */
        Instant paidUntil();
    }

    /** How long before an attempt's INVITE left an overload of our own may still have delayed its answer. */
    private static final java.time.Duration OWN_OVERLOAD_GRACE = java.time.Duration.ofSeconds(1);

    private final int number;
    private final VendorCandidate candidate;
    private final String calleeOut;
    private final String callId;
    private final SipTarget target;
    /** The target as we send to it: over TLS verified as the gateway's provisioned name (RFC 5922 §4), not its address. */
    private final SipDestination targetDestination;
    private final List<SipTarget> targets;
    private final int targetIndex;
    private final AdmissionControl.Slot gatewaySlot;
    private final CallParts parts;
    private final TransactionExecutor loop;
    private final long callStartNanos;
    private final long accountId;
    private final Events events;
    private final Instant startedAt;
    private final long startNanos;
    private SipRequest invite;
    /** The INVITE while it waits for the media side ({@link #sendWhenReady}); null once sent or given up. */
    private SipRequest waitingInvite;
    private InviteClientTransaction transaction;
    private TransactionExecutor.Cancellable noTryingTimer;
    private boolean provisional;
    private Long pddMillis;
    private Instant answeredAt;
    private Instant endedAt;
    private int status;
    private String reason = "";
    private Dialog dialog;
    private SipRequest ack;
    /**
     * The 2xx carried the offer (our INVITE had none: late offer), so its ACK must carry the answer (RFC 3261
     * §13.2.2.4, RFC 3264 §4), which only the customer's ACK brings: that ACK is sent then ({@link #ackWithAnswer}).
     */
    private boolean answerOwed;
    private boolean done;

    VendorAttempt(int number, VendorCandidate candidate, String calleeOut, String callId, List<SipTarget> targets, int targetIndex,
                  AdmissionControl.Slot gatewaySlot, CallParts parts, TransactionExecutor loop, CallFacts call, Events events) {
        this.number = number;
        this.candidate = candidate;
        this.calleeOut = calleeOut;
        this.callId = callId;
        this.targets = targets;
        this.targetIndex = targetIndex;
        this.target = targets.get(targetIndex);
        this.targetDestination = candidate.gateway().reachesRegisteredContact() ? SipDestination.flow(target.transport(), target.address())
                : target.destination().withServerName(VendorHunt.destinationOf(candidate.gateway()).tlsName());
        this.gatewaySlot = gatewaySlot;
        this.parts = parts;
        this.loop = loop;
        this.callStartNanos = call.startNanos();
        this.accountId = call.trunk().accountId();
        this.events = events;
        this.startedAt = parts.clock().now();
        this.startNanos = parts.clock().nanos();
    }

    int number() {
        return number;
    }

    VendorCandidate candidate() {
        return candidate;
    }

    String calleeOut() {
        return calleeOut;
    }

    String callId() {
        return callId;
    }

    List<SipTarget> targets() {
        return targets;
    }

    int targetIndex() {
        return targetIndex;
    }

    SipTransport transport() {
        return target.transport();
    }

    Instant startedAt() {
        return startedAt;
    }

    Instant answeredAt() {
        return answeredAt;
    }

    Instant endedAt() {
        return endedAt;
    }

    Long pddMillis() {
        return pddMillis;
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }

    boolean done() {
        return done;
    }

    /** The B-leg dialog, null until the vendor answered. */
    Dialog dialog() {
        return dialog;
    }

    /** Where requests of the B-leg dialog go: its first route, else the gateway target this attempt used. */
    SipDestination destination() {
        return dialog == null ? targetDestination : dialog.firstHop(transport()).orElse(targetDestination);
    }

    /**
     * Sends the INVITE once the media side is ready for the offer it carries (a remote media node has bound the ports
     * the offer names: the vendor's early media and its first words then reach a node that knows the call), at the
     * latest after {@code boundMillis}; at once when it already is. An attempt given up meanwhile (the customer's
     * CANCEL, the switch) sends nothing. On the call's loop.
     */
    void sendWhenReady(SipRequest request, CompletionStage<Void> ready, long boundMillis) {
        waitingInvite = request;
        ReadinessWait.runOnce(loop, ready, boundMillis, this::sendWaitingInvite);
    }

    /** The waiting INVITE, unless the attempt was given up meanwhile. */
    private void sendWaitingInvite() {
        SipRequest request = waitingInvite;
        waitingInvite = null;
        if (request != null && !done) {
            send(request);
        }
    }

    /** Sends the INVITE in a client transaction on the call's loop; fails over if no 100 comes in time. */
    void send(SipRequest request) {
        this.invite = request;
        parts.counters().vendorAttempts.increment();
        transaction = (InviteClientTransaction) parts.sip().sendRequest(request, targetDestination, loop, this);
        noTryingTimer = loop.schedule(this::onNoTrying, parts.settings().noTryingTimeout().toMillis());
    }

    private void onNoTrying() {
        if (!provisional && !done) {
            transaction.cancel();
            finish(0, "no answer from vendor within " + parts.settings().noTryingTimeout().toMillis() + " ms");
            events.onFailed(this, 0, null);
        }
    }

    @Override
    public void onResponse(ClientTransaction tx, SipResponse response) {
        int code = response.status();
        if (done && !(response.isSuccess() && answeredAt == null)) {
            return;
        }
        if (code < 200) {
            if (!provisional) {
                provisional = true;
                noTryingTimer.cancel();
            }
            if (code > 100) {
                notePdd();
                events.onProvisional(this, response);
            }
            return;
        }
        noTryingTimer.cancel();
        if (code < 300) {
            onSuccess(response);
            return;
        }
        finish(code, response.reasonPhrase());
        events.onFailed(this, code, response);
    }

    private void onSuccess(SipResponse response) {
        if (answeredAt != null) {
            // The same 2xx again: our ACK was lost (RFC 3261 §13.2.2.4). ACK it again; the call was answered once.
            // (None yet while the ACK waits for the customer's answer: the vendor retransmits until it comes.)
            reAck();
            return;
        }
        dialog = Dialog.asClient(invite, response);
        if (!events.mayAnswer(this)) {
            // Answer after we gave up on this vendor (CANCEL raced the 200): ACK and BYE it.
            ack();
            bye("call already ended");
            finish(487, "answered after the call ended");
            releaseTransaction();
            return;
        }
        notePdd();
        answerOwed = invite.bodyLength() == 0 && response.bodyLength() > 0;
        if (!answerOwed) {
            ack();
        }
        CallRejection refused = events.anchorAnswer(this, response);
        if (refused != null) {
            // "A call is anchored when either side asks": an answer the relay cannot take is no answer (docs/media.md)
            SipRejection sip = CallRejections.toSip(refused);
            bye(sip.q850Cause(), sip.text());
            finish(sip.status(), sip.text());
            releaseTransaction();
            events.onAnswerRefused(this, sip.status());
            return;
        }
        answeredAt = parts.clock().now();
        events.onAnswered(this, response);
    }

    private void notePdd() {
        if (pddMillis == null) {
            pddMillis = (parts.clock().nanos() - callStartNanos) / 1_000_000;
        }
    }

    @Override
    public void onTimeout(ClientTransaction tx) {
        failWithoutAnswer("vendor timeout");
    }

    @Override
    public void onTransportError(ClientTransaction tx, Throwable cause) {
        failWithoutAnswer("transport error: " + cause.getMessage());
    }

    private void failWithoutAnswer(String why) {
        if (done) {
            return;
        }
        noTryingTimer.cancel();
        finish(0, why);
        events.onFailed(this, 0, null);
    }

    /** Gives up on an unanswered attempt: CANCEL (RFC 3261 §9.1) and end its bookkeeping. */
    void cancel(int code, String why) {
        if (!done && answeredAt == null) {
            if (transaction != null) {
                transaction.cancel();
            } // else the INVITE still waits for the media side: it is never sent
            waitingInvite = null;
            finish(code, why);
        }
    }

    /** Whether the answering 2xx carried an offer whose answer (the customer's, in its ACK) the vendor still waits for. */
    boolean awaitsAnswer() {
        return answerOwed && ack == null;
    }

    /**
     * ACKs a 2xx that carried the offer, with the customer's answer as the vendor should see it ({@code null}: the
     * customer's ACK had none, a fault of its own: the ACK goes without). Once; later calls do nothing.
     */
    void ackWithAnswer(MessageBody answer) {
        if (ack != null || dialog == null) {
            return;
        }
        SipRequest.Builder b = dialog.newAck(invite.cseq().sequence()).via(parts.sip().newVia(transport())).maxForwards(70);
        if (answer != null) {
            b.body(answer.contentType(), answer.content());
        }
        ack = b.build();
        parts.sip().sendStateless(ack, destination(), loop);
    }

    /** A 2xx retransmitted after the INVITE transaction ended (our ACK was lost): ACK it again. */
    void reAck() {
        if (ack != null) {
            parts.sip().sendStateless(ack, destination(), loop);
        }
    }

    /** Ends the attempt's bookkeeping once: breaker, quality, gateway slot, the B-leg Call-ID's alias. */
    void finish(int code, String why) {
        if (done) {
            return;
        }
        done = true;
        status = code;
        reason = why == null ? "" : why;
        endedAt = parts.clock().now();
        Instant paidUntil = answeredAt == null ? null : events.paidUntil();
        if (paidUntil != null && endedAt.isAfter(paidUntil)) {
            // The switch hangs up when the held money ends; milliseconds of our own latency past
            // that point are not the customer's to pay (and would overspend a prepaid balance).
            endedAt = paidUntil;
        }
        gatewaySlot.release();
        java.time.Duration took = java.time.Duration.ofNanos(parts.clock().nanos() - startNanos);
        if (code == 0 && parts.sip().overloadedWithin(took.plus(OWN_OVERLOAD_GRACE))) {
            // No answer while this node was itself overloaded: the answer may be waiting behind our own
            // backlog, so it says nothing about the vendor. Counting it would open healthy vendors' breakers
            // and keep calls failing after the overload ends.
            parts.breakers().release(candidate.gateway().id());
        } else {
            parts.breakers().record(candidate.gateway().id(), code, took);
        }
        long talk = answeredAt == null ? 0 : java.time.Duration.between(answeredAt, endedAt).toMillis();
        parts.quality().record(candidate.gateway().id(), accountId, answeredAt != null, talk, pddMillis == null ? -1 : pddMillis);
        parts.registry().unalias(callId);
        if (answeredAt != null) {
            releaseTransaction();
        }
    }

    private void ack() {
        ack = dialog.newAck(invite.cseq().sequence())
                .via(parts.sip().newVia(transport()))
                .maxForwards(70)
                .build();
        parts.sip().sendStateless(ack, destination(), loop);
    }

    /** Ends the answered B-leg. */
    void bye(String why) {
        bye(16, why);
    }

    private void bye(int q850Cause, String why) {
        if (dialog == null) {
            return;
        }
        if (ack == null) {
            // a late-offer 2xx whose answer never came (the call ends before the customer's ACK): the dialog is
            // confirmed by an ACK before it is ended (RFC 3261 §13.2.2.4)
            ack();
        }
        SipRequest bye = dialog.newRequest(SipRequest.BYE)
                .via(parts.sip().newVia(transport()))
                .maxForwards(70)
                .header(HeaderName.REASON, SipRejection.reasonHeader(q850Cause, why))
                .build();
        parts.sip().sendRequest(bye, destination(), loop, ClientTransactionListener.NONE);
    }

    /** The answered INVITE's transaction keeps only what re-ACKs a late 2xx, not this call. */
    private void releaseTransaction() {
        if (transaction != null && ack != null) {
            transaction.replaceListener(new AckRepeater(parts.sip(), SentMessage.of(ack), destination(), loop));
        }
    }

    /**
     * What an answered B-leg's INVITE transaction reports once its call has ended: a retransmitted
     * 2xx (our ACK was lost) is ACKed again (RFC 3261 §13.2.2.4). Holds only the ACK, so the ended
     * call's state is free while the transaction waits out Timer M.
     */
    private record AckRepeater(SipEndpoint sip, SentMessage ack, SipDestination destination, TransactionExecutor loop)
            implements ClientTransactionListener {
        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
            if (response.isSuccess()) {
                sip.sendStateless(ack, destination, loop);
            }
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
        }
    }
}
