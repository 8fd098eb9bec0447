package io.tandem.softswitch.call;

import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A step of a call that waits for the media side, but not for long: it runs once on the call's loop, as soon as
 * {@code ready} completes (normally or not) or when the bound has passed, whichever comes first; at once, on the
 * caller's thread, when {@code ready} is already complete. Used for the vendor's INVITE (a remote media node binds
 * the ports its offer names) and the customer's 200 (the node learns the vendor's media address).
 */
final class ReadinessWait {
    private final Runnable step;
    private TransactionExecutor.Cancellable bound;
    /** Touched only on the call's loop. */
    private boolean ran;

    private ReadinessWait(Runnable step) {
        this.step = step;
    }

    /** Runs {@code step} exactly once on {@code loop}: when {@code ready} completes, or after {@code boundMillis}. */
    static void runOnce(TransactionExecutor loop, CompletionStage<?> ready, long boundMillis, Runnable step) {
        CompletableFuture<?> known = ready.toCompletableFuture();
        if (known.isDone()) {
            step.run();
            return;
        }
        ReadinessWait wait = new ReadinessWait(step);
        wait.bound = loop.schedule(wait::run, boundMillis);
        known.whenComplete((ok, error) -> loop.execute(wait::run));
    }

    private void run() {
        if (ran) {
            return;
        }
        ran = true;
        bound.cancel();
        step.run();
    }
}
