package io.tandem.softswitch.call;

import io.tandem.routing.Gateway;
import io.tandem.routing.RouteDecision;
import io.tandem.routing.VendorCandidate;
import io.tandem.softswitch.call.admission.AdmissionControl;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import io.tandem.softswitch.sip.transport.SipDestination;
import io.tandem.softswitch.sip.transport.SipTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries the route's vendors in order until one answers: per candidate the gateway's breaker,
 * CPS and call cap; its RFC 3263 targets (the next target after a timeout, transport error or
 * 503, before the next vendor); failover on the gateway's failover codes, on timeouts and when no
 * 100 comes in time; the post-dial-delay limit. Confined to the call's loop; what it cannot decide
 * alone goes to the call as a {@link HuntStep}.
 */
final class VendorHunt implements VendorAttempt.Events {
    private static final Logger log = LoggerFactory.getLogger(VendorHunt.class);

    /** What the hunt needs to know of, and tells, its call. */
    interface Listener {
        void onAttemptStarted(VendorAttempt attempt);

        void onProvisional(VendorAttempt attempt, SipResponse response);

        void onAnswered(VendorAttempt attempt, SipResponse response);

        /** Anchors the media of a 2xx before it answers the call; the rejection when it cannot be (see {@link VendorAttempt.Events}). */
        CallRejection anchorAnswer(VendorAttempt attempt, SipResponse response);

        void onHuntStep(HuntStep step);

        /** TRYING or RINGING: no vendor answered yet and the call has not ended. */
        boolean hunting();

        boolean ended();

        boolean cancelled();

        Instant paidUntil();
    }

    private final CallParts parts;
    private final CallFacts facts;
    private final TransactionExecutor loop;
    private final RouteDecision route;
    private final SipRequest customerInvite;
    private final MediaAnchor media;
    private final Listener call;
    private final List<VendorAttempt> attempts = new ArrayList<>(2);
    private VendorAttempt current;
    private int nextCandidate;
    private int lastFailure;
    private TransactionExecutor.Cancellable pddTimer;
    /** The registered contacts of the current registered-contact gateway, in the order they are tried (sequential forking). */
    private List<RegisteredTargets.Target> contacts = List.of();
    private int nextContact;
    /**
     * Why a registered-contact gateway found no contact to try, while no attempt was made and no vendor was passed
     * over for another reason: when the hunt ends so, the caller gets the routing-time 480, not the 503 of exhausted vendors.
     */
    private String notRegistered;
    private boolean passedOverOtherwise;

    VendorHunt(CallParts parts, CallFacts facts, TransactionExecutor loop, RouteDecision route, SipRequest customerInvite,
               MediaAnchor media, Listener call) {
        this.parts = parts;
        this.facts = facts;
        this.loop = loop;
        this.route = route;
        this.customerInvite = customerInvite;
        this.media = media;
        this.call = call;
    }

    VendorAttempt current() {
        return current;
    }

    List<VendorAttempt> attempts() {
        return attempts;
    }

    /** Starts with the first candidate; no vendor may take longer than the post-dial delay to answer. */
    void start() {
        pddTimer = loop.schedule(this::onPostDialDelay, parts.settings().maxPostDialDelay().toMillis());
        next(0);
    }

    private void onPostDialDelay() {
        if (call.hunting()) {
            if (current != null) {
                current.cancel(0, "maximum post-dial delay");
            }
            call.onHuntStep(new HuntStep.Exhausted(lastFailure));
        }
    }

    void stopTimer() {
        if (pddTimer != null) {
            pddTimer.cancel();
        }
    }

    /** The customer cancelled or the switch gave up: CANCEL the vendor that is being tried. */
    void cancelCurrent(int status, String why) {
        if (current != null) {
            current.cancel(status, why);
        }
    }

    /** The call ended: every attempt's bookkeeping ends (answered ones as 200). */
    void finishAll(int status, String why) {
        for (VendorAttempt attempt : attempts) {
            attempt.finish(attempt.answeredAt() != null ? 200 : status, why);
        }
    }

    /** A stray 2xx on one of this call's B-legs: ACK it again. */
    void reAck(String sipCallId) {
        for (VendorAttempt attempt : attempts) {
            if (attempt.callId().equals(sipCallId)) {
                attempt.reAck();
            }
        }
    }

    /** Tries the next usable candidate; when none is left, the call fails with the last failure. */
    private void next(int lastStatus) {
        if (lastStatus != 0 || lastFailure == 0) {
            lastFailure = lastStatus;
        }
        if (call.cancelled()) {
            call.onHuntStep(new HuntStep.Cancelled());
            return;
        }
        List<VendorCandidate> candidates = route.candidates();
        while (nextCandidate < candidates.size()) {
            VendorCandidate candidate = candidates.get(nextCandidate++);
            long gatewayId = candidate.gateway().id();
            if (!parts.breakers().tryAcquire(gatewayId)) {
                passedOverOtherwise = true;
                continue;
            }
            if (parts.admission().takeCps(AdmissionControl.gatewayScope(gatewayId), candidate.gateway().maxCps()).isPresent()) {
                parts.breakers().release(gatewayId);
                passedOverOtherwise = true;
                continue;
            }
            Optional<AdmissionControl.Slot> slot = parts.admission().takeSlot(AdmissionControl.gatewayScope(gatewayId),
                    candidate.gateway().maxConcurrentCalls());
            if (slot.isEmpty()) {
                parts.breakers().release(gatewayId);
                passedOverOtherwise = true;
                continue;
            }
            if (!attempts.isEmpty()) {
                parts.counters().failovers.increment();
            }
            AdmissionControl.Slot gatewaySlot = slot.get();
            if (candidate.gateway().reachesRegisteredContact()) {
                // Found now among the cluster's bindings, not in DNS: the contacts may have gone since routing.
                if (tryContact(candidate, gatewaySlot, parts.registeredTargets().targetsOf(candidate.gateway().registeredTrunkId()), 0)) {
                    return;
                }
                gatewaySlot.release();
                parts.breakers().release(gatewayId);
                lastFailure = 480;
                continue;
            }
            CompletableFuture<List<SipTarget>> targets = parts.sip().resolve(destinationOf(candidate.gateway()));
            if (targets.isDone() && !targets.isCompletedExceptionally()) {
                startAttempt(candidate, gatewaySlot, targets.resultNow(), 0, null);
            } else {
                targets.whenComplete((found, error) -> loop.execute(() -> onResolved(candidate, gatewaySlot, found, error)));
            }
            return;
        }
        if (attempts.isEmpty() && notRegistered != null && !passedOverOtherwise) {
            // Only registered contacts could take the call and they went between routing and now: what routing says
            // when they are gone (docs/registrations.md), not "all vendors failed".
            call.onHuntStep(new HuntStep.Refused(new CallRejection.NotRegistered(notRegistered)));
            return;
        }
        call.onHuntStep(new HuntStep.Exhausted(lastFailure));
    }

    /**
     * Starts the attempt to the first of {@code found} (a registered-contact gateway's contacts, best first) from
     * {@code from} that can be reached; those that cannot are passed over like a 480 (docs/registrations.md).
     *
     * @return false when none is left: the caller releases the slot
     */
    private boolean tryContact(VendorCandidate candidate, AdmissionControl.Slot gatewaySlot, List<RegisteredTargets.Target> found,
                               int from) {
        long trunkId = candidate.gateway().registeredTrunkId();
        int limit = Math.min(found.size(), RegisteredTargets.MAX_FORKED_CONTACTS);
        if (from == 0 && limit == 0) {
            log.info("call {}: registered contact of trunk {} (gateway {}) not tried: no longer registered", facts.id(), trunkId,
                    candidate.gateway().name());
            parts.registeredTargets().missed(trunkId, Optional.empty());
            noteNotRegistered("the registered contact of trunk " + trunkId + " is no longer registered");
        }
        for (int i = from; i < limit; i++) {
            RegisteredTargets.Target contact = found.get(i);
            if (contact.unreachable() != null) {
                log.info("call {}: registered contact {} of trunk {} (gateway {}) not tried: {}", facts.id(), contact.contact(), trunkId,
                        candidate.gateway().name(), contact.unreachable());
                parts.registeredTargets().missed(trunkId, Optional.of(contact));
                noteNotRegistered("the registered contact of trunk " + trunkId + ": " + contact.unreachable());
                continue;
            }
            contacts = found;
            nextContact = i + 1;
            startAttempt(candidate, gatewaySlot, List.of(new SipTarget(contact.transport(), contact.sendTo())), 0, contact);
            return true;
        }
        contacts = List.of();
        nextContact = 0;
        return false;
    }

    private void noteNotRegistered(String why) {
        if (notRegistered == null) {
            notRegistered = why;
        }
    }

    /**
     * Sequential forking (docs/registrations.md): after a registered contact failed over, the gateway's next contact is
     * tried as a new attempt (its own CDR, the gateway's call cap) before the next vendor. False when none is left.
     */
    private boolean tryNextContact(VendorAttempt failed) {
        if (!failed.candidate().gateway().reachesRegisteredContact() || nextContact >= Math.min(contacts.size(),
                RegisteredTargets.MAX_FORKED_CONTACTS) || call.cancelled() || call.ended()) {
            return false;
        }
        Optional<AdmissionControl.Slot> slot = gatewaySlot(failed.candidate().gateway());
        if (slot.isEmpty()) {
            return false;
        }
        if (tryContact(failed.candidate(), slot.get(), contacts, nextContact)) {
            parts.counters().failovers.increment();
            return true;
        }
        slot.get().release();
        return false;
    }

    /** The gateway's targets are known (or DNS failed): start the attempt, unless the call ended meanwhile. */
    private void onResolved(VendorCandidate candidate, AdmissionControl.Slot gatewaySlot, List<SipTarget> targets, Throwable error) {
        long gatewayId = candidate.gateway().id();
        if (call.ended() || call.cancelled()) {
            gatewaySlot.release();
            parts.breakers().release(gatewayId);
            if (!call.ended()) {
                next(0);
            }
            return;
        }
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            log.warn("call {}: vendor gateway {} ({}) cannot be resolved: {}", facts.id(), candidate.gateway().name(),
                    candidate.gateway().host(), cause.getMessage());
            passedOverOtherwise = true;
            gatewaySlot.release();
            parts.breakers().record(gatewayId, 0, Duration.ZERO);
            next(0);
            return;
        }
        startAttempt(candidate, gatewaySlot, targets, 0, null);
    }

    /** @param registered the registered contact a registered-contact gateway reaches, else null */
    private void startAttempt(VendorCandidate candidate, AdmissionControl.Slot gatewaySlot, List<SipTarget> targets, int index,
                              RegisteredTargets.Target registered) {
        media.vendorChosen(candidate.gateway(), targets.get(index).address());
        MessageBody offer = media.towardVendor(LegRequests.bodyOf(customerInvite));
        CallRejection refused = media.refusal();
        if (refused != null) {
            gatewaySlot.release();
            parts.breakers().release(candidate.gateway().id());
            call.onHuntStep(new HuntStep.Refused(refused));
            return;
        }
        String callId = bLegCallId();
        VendorAttempt attempt = new VendorAttempt(attempts.size() + 1, candidate, LegRequests.calleeOut(candidate, route), callId,
                targets, index, gatewaySlot, parts, loop, facts, this);
        attempts.add(attempt);
        current = attempt;
        call.onAttemptStarted(attempt);
        SipTransport transport = targets.get(index).transport();
        // a remote media node must know the ports the offer names before the vendor can send to them (early media)
        attempt.sendWhenReady(LegRequests.vendorInvite(customerInvite, facts.trunk(), route, candidate, parts.sip().newVia(transport),
                callId, parts.sip().newTag(), parts.sip().contact(), offer, registered), media.ready(), Call.MEDIA_READY_WAIT_MS);
    }

    /**
     * A B-leg Call-ID that hashes to the call's loop when one is found in a few draws: the vendor's
     * in-dialog requests then arrive on the loop that owns the call without a hand-off. Only a
     * matter of locality: the call's transactions run on its loop whatever the Call-ID hashes to.
     */
    private String bLegCallId() {
        String candidate = null;
        for (int i = 0; i < 8; i++) {
            candidate = UUID.randomUUID() + "@tandem";
            if (parts.sip().executorFor(candidate) == loop) {
                return candidate;
            }
        }
        return candidate;
    }

    /** A place for one more call within the gateway's concurrency cap, empty when it is full. */
    private Optional<AdmissionControl.Slot> gatewaySlot(Gateway gateway) {
        return parts.admission().takeSlot(AdmissionControl.gatewayScope(gateway.id()), gateway.maxConcurrentCalls());
    }

    /**
     * RFC 3263 §4.3: after a transport error, a timeout or a 503 the same gateway is tried at its
     * next DNS target (a new transaction) before the next vendor. The failed target is reported
     * so that other calls try it last for a while. The gateway's breaker admitted this call and
     * its other targets are part of the same attempt: a breaker that the first target's failure
     * just opened does not stop them (it keeps new calls away). False when there is no further
     * target or the gateway's concurrency cap is reached.
     */
    private boolean tryNextTarget(VendorAttempt failed) {
        parts.sip().markFailed(failed.targets().get(failed.targetIndex()));
        if (failed.targetIndex() + 1 >= failed.targets().size() || call.cancelled() || call.ended()) {
            return false;
        }
        Optional<AdmissionControl.Slot> slot = gatewaySlot(failed.candidate().gateway());
        if (slot.isEmpty()) {
            return false;
        }
        parts.counters().failovers.increment();
        startAttempt(failed.candidate(), slot.get(), failed.targets(), failed.targetIndex() + 1, null);
        return true;
    }

    /** Where a gateway is, as provisioned: host, port, transport and how DNS is asked (RFC 3263). */
    static SipDestination destinationOf(Gateway gateway) {
        SipDestination.Lookup lookup = switch (gateway.dnsLookup()) {
            case "srv" -> SipDestination.Lookup.SRV;
            case "naptr" -> SipDestination.Lookup.NAPTR;
            default -> SipDestination.Lookup.ADDRESS;
        };
        SipTransport transport = SipTransport.valueOf(gateway.transport() == null ? "UDP" : gateway.transport().toUpperCase(Locale.ROOT));
        return new SipDestination(transport, gateway.host(), gateway.port(), lookup);
    }

    // ------------------------------------------------------------------ VendorAttempt.Events

    @Override
    public void onProvisional(VendorAttempt attempt, SipResponse response) {
        if (attempt == current) {
            call.onProvisional(attempt, response);
        }
    }

    @Override
    public void onAnswered(VendorAttempt attempt, SipResponse response) {
        stopTimer();
        call.onAnswered(attempt, response);
    }

    @Override
    public CallRejection anchorAnswer(VendorAttempt attempt, SipResponse response) {
        return call.anchorAnswer(attempt, response);
    }

    @Override
    public void onAnswerRefused(VendorAttempt attempt, int status) {
        if (attempt == current && call.hunting()) {
            next(status);
        }
    }

    /**
     * The current attempt's early media (18x with SDP) cannot be anchored although the call must be: CANCEL
     * it and try the next vendor, as if it had refused with the rejection's status (488, or 503 without ports).
     */
    void earlyMediaRefused(VendorAttempt attempt, CallRejection rejection) {
        if (attempt != current) {
            return;
        }
        SipRejection sip = CallRejections.toSip(rejection);
        attempt.cancel(sip.status(), sip.text());
        next(sip.status());
    }

    @Override
    public boolean mayAnswer(VendorAttempt attempt) {
        return attempt == current && !attempt.done() && call.hunting();
    }

    @Override
    public Instant paidUntil() {
        return call.paidUntil();
    }

    /** Failover on timeouts and the gateway's failover codes; any other final is the callee's answer. */
    @Override
    public void onFailed(VendorAttempt attempt, int status, SipResponse response) {
        if (attempt != current || call.ended()) {
            return;
        }
        boolean failover = status == 0 || attempt.candidate().gateway().failoverCodes().contains(status);
        if (failover && !call.cancelled()) {
            if ((status == 0 || status == 503) && tryNextTarget(attempt)) {
                return;
            }
            if (tryNextContact(attempt)) {
                return;
            }
            next(status);
            return;
        }
        call.onHuntStep(response != null ? new HuntStep.Relay(response) : new HuntStep.Cancelled());
    }
}
