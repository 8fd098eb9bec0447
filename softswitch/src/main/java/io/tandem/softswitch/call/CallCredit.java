package io.tandem.softswitch.call;

import io.tandem.billing.authorization.Authorization;
import io.tandem.billing.authorization.CallAuthorizer;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call's money: asks billing whether the call may start, hangs up when the held money runs
 * out and asks for more a little before that, and submits the settlement exactly once. Billing
 * work runs on the bounded billing executor and comes back on the call's loop; everything else
 * runs on the loop.
 */
final class CallCredit {
    private static final Logger log = LoggerFactory.getLogger(CallCredit.class);

    private final CallFacts facts;
    private final CallAuthorizer billing;
    private final Executor billingExecutor;
    private final TransactionExecutor loop;
    private final CallClock clock;
    private final Duration extendBefore;
    private final Runnable onCreditExhausted;
    private Authorization.Granted grant;
    private Instant answeredAt;
    private TransactionExecutor.Cancellable hangupTimer;
    private TransactionExecutor.Cancellable extendTimer;
    private boolean settled;

    CallCredit(CallFacts facts, CallAuthorizer billing, Executor billingExecutor, TransactionExecutor loop, CallClock clock,
               Duration extendBefore, Runnable onCreditExhausted) {
        this.facts = facts;
        this.billing = billing;
        this.billingExecutor = billingExecutor;
        this.loop = loop;
        this.clock = clock;
        this.extendBefore = extendBefore;
        this.onCreditExhausted = onCreditExhausted;
    }

    /**
     * Asks billing; the answer reaches {@code onAnswer} on the loop (at once when this node's lease
     * pays, else from a billing worker). False when the billing queue is full: nothing was asked.
     */
    boolean authorize(RateSnapshot sell, Consumer<Authorization> onAnswer) {
        // Most calls are paid from this node's in-memory lease: decided here, on the call's loop,
        // without two thread hand-offs; the rest (no lease, low, busy) go to the billing workers.
        Optional<Authorization> atOnce = billing.authorizeIfLeaseReady(facts.id(), facts.trunk().accountId(), sell);
        if (atOnce.isPresent()) {
            remember(atOnce.get());
            onAnswer.accept(atOnce.get());
            return true;
        }
        try {
            billingExecutor.execute(() -> {
                Authorization authorization = billing.authorize(facts.id(), facts.trunk().accountId(), sell);
                loop.execute(() -> {
                    remember(authorization);
                    onAnswer.accept(authorization);
                });
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void remember(Authorization authorization) {
        if (authorization instanceof Authorization.Granted granted) {
            grant = granted;
        }
    }

    boolean granted() {
        return grant != null;
    }

    /**
     * The moment the answered call is paid until; an attempt that ended later (our own latency past
     * the hang-up) is cut there: those milliseconds are not the customer's to pay. Null when not answered or not granted.
     */
    Instant paidUntil() {
        return answeredAt == null || grant == null ? null : answeredAt.plusSeconds(grant.maxDurationSeconds());
    }

    /** Answered: the billable clock runs from {@code at}. */
    void startClock(Instant at) {
        answeredAt = at;
        scheduleHangup();
    }

    /** Hang up when the held money runs out; ask for more a little before that. */
    private void scheduleHangup() {
        long maxMillis = grant.maxDurationSeconds() * 1000;
        long elapsed = Duration.between(answeredAt, clock.now()).toMillis();
        cancelTimers();
        hangupTimer = loop.schedule(onCreditExhausted, Math.max(0, maxMillis - elapsed));
        long extendAt = maxMillis - extendBefore.toMillis() - elapsed;
        if (extendAt > 0) {
            extendTimer = loop.schedule(this::extend, extendAt);
        } else {
            extend();
        }
    }

    private void extend() {
        Authorization.Granted current = grant;
        try {
            billingExecutor.execute(() -> {
                Authorization more = billing.extend(current);
                loop.execute(() -> {
                    if (hangupTimer != null && more instanceof Authorization.Granted granted
                            && granted.maxDurationSeconds() > current.maxDurationSeconds()) {
                        grant = granted;
                        scheduleHangup();
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            log.warn("Billing queue full: call {} keeps its current maximum duration", facts.id());
        }
    }

    /** The call ended: no more hang-up or extension. */
    void cancelTimers() {
        if (hangupTimer != null) {
            hangupTimer.cancel();
            hangupTimer = null;
        }
        if (extendTimer != null) {
            extendTimer.cancel();
            extendTimer = null;
        }
    }

    /** Settles a call that held money: its CDRs, the charge, the release of the rest. Once. */
    void settle(List<CdrRecord> cdrs) {
        Authorization.Granted settledGrant = grant;
        submit(() -> billing.settle(settledGrant, cdrs));
    }

    /** Writes the CDR of a call refused before money was held. Once. */
    void settleUnauthorized(List<CdrRecord> cdrs) {
        submit(() -> billing.settleUnauthorized(facts.id(), facts.trunk().accountId(), cdrs));
    }

    private void submit(Supplier<CompletableFuture<Void>> settle) {
        if (settled) {
            return;
        }
        settled = true;
        try {
            billingExecutor.execute(() -> settle.get().whenComplete((ok, error) -> {
                if (error != null) {
                    log.error("Settlement of call {} failed", facts.id(), error);
                }
            }));
        } catch (RejectedExecutionException e) {
            // Never on the event loop, never lost: a settlement the full queue refused gets its own thread.
            log.warn("Billing queue full: settling call {} on a thread of its own", facts.id());
            Thread.ofVirtual().name("settle-" + facts.id()).start(settle::get);
        }
    }
}
