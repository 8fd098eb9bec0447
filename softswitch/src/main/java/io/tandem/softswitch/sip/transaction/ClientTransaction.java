package io.tandem.softswitch.sip.transaction;

import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A client transaction (RFC 3261 §17.1): retransmits the request over UDP, matches responses
 * by top-Via branch and CSeq method (§17.1.3), and reports to its listener on its executor.
 */
public abstract sealed class ClientTransaction permits InviteClientTransaction, NonInviteClientTransaction {
    final TransactionLayer layer;
    final String key;
    private final String branch;
    /** Dropped once the transaction only waits for retransmitted finals (Timers D, K, M). */
    SipRequest request;
    final SipSender sender;
    final TransactionExecutor executor;
    /** Replaced by a lighter one once the transaction user is done ({@link #replaceListener}). */
    ClientTransactionListener listener;
    private final List<TransactionExecutor.Cancellable> timers = new ArrayList<>(2);

    ClientTransaction(TransactionLayer layer, String key, SipRequest request, SipSender sender,
                      TransactionExecutor executor, ClientTransactionListener listener) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.branch = request.topVia().branch();
        this.sender = sender;
        this.executor = executor;
        this.listener = listener;
    }

    /** The request; asking once the transaction has released it is a programming error. */
    public SipRequest request() {
        if (request == null) {
            throw new IllegalStateException("transaction " + key + " is over; it only absorbs retransmissions");
        }
        return request;
    }

    public String branch() {
        return branch;
    }

    public TransactionExecutor executor() {
        return executor;
    }

    public abstract boolean isTerminated();

    /**
     * Hands what the transaction still reports to another listener. A transaction waits 32 s in its
     * last state for retransmissions (Timer D, M); a call engine whose call has ended passes a small
     * listener here so that the ended call's whole state is not kept alive that long.
     */
    public void replaceListener(ClientTransactionListener next) {
        executor.execute(() -> listener = next);
    }

    abstract void start();

    abstract void onResponse(SipResponse response);

    abstract void terminate();

    void transmit(SipRequest r) {
        sender.send(r, cause -> executor.execute(() -> onTransportError(cause)));
    }

    private void onTransportError(Throwable cause) {
        if (isTerminated()) {
            return;
        }
        layer.onTransportError(cause);
        terminate();
        listener.onTransportError(this, cause);
    }

    void timer(long delayMillis, Runnable task) {
        timers.add(executor.scheduleCoarse(task, delayMillis));
    }

    void cancelTimers() {
        for (TransactionExecutor.Cancellable c : timers) {
            c.cancel();
        }
        timers.clear();
    }

    void terminated() {
        cancelTimers();
        layer.removeClient(this);
    }

    SipTimers timers() {
        return layer.config().timers();
    }
}
