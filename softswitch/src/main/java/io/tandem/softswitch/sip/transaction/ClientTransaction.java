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
    final SipRequest request;
    final SipSender sender;
    final TransactionExecutor executor;
    final ClientTransactionListener listener;
    private final List<TransactionExecutor.Cancellable> timers = new ArrayList<>(2);

    ClientTransaction(TransactionLayer layer, String key, SipRequest request, SipSender sender,
                      TransactionExecutor executor, ClientTransactionListener listener) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.sender = sender;
        this.executor = executor;
        this.listener = listener;
    }

    public SipRequest request() {
        return request;
    }

    public String branch() {
        return request.topVia().branch();
    }

    public TransactionExecutor executor() {
        return executor;
    }

    public abstract boolean isTerminated();

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
        timers.add(executor.schedule(task, delayMillis));
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
