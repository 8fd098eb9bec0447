package io.tandem.softswitch.sip.transaction;

/**
 * The single thread a transaction lives on, and its clock. In production this is a Netty event
 * loop ({@link EventLoopTransactionExecutor}), so a transaction's state needs no locks and its
 * timers cost no extra threads; tests pass a hand-driven clock.
 */
public interface TransactionExecutor {

    /** Runs the task on this executor; inline when already on it. */
    void execute(Runnable task);

    /** Runs the task after the delay on this executor. */
    Cancellable schedule(Runnable task, long delayMillis);

    /**
     * Like {@link #schedule}, for a transaction's protocol timers: a delay of a second or more
     * (Timers B, D, F, H, I, J, K, L, M, late retransmissions) may run up to a few tens of
     * milliseconds late, in exchange for timers that cost the event loop next to nothing at
     * hundreds of thousands alive; shorter delays are kept exactly. Called on this executor; the
     * returned handle is cancelled on it too.
     */
    default Cancellable scheduleCoarse(Runnable task, long delayMillis) {
        return schedule(task, delayMillis);
    }

    /** A scheduled task that may be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
