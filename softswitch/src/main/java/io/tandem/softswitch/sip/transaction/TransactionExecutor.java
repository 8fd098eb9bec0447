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

    /** A scheduled task that may be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
