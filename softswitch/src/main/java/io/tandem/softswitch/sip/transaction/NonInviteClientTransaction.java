package io.tandem.softswitch.sip.transaction;

import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;

/**
 * Non-INVITE client transaction, RFC 3261 §17.1.2.
 *
 * <pre>
 * state       event            action                                   next
 * (start)     TU request       send; Timer E=T1 (UDP); Timer F=64·T1    Trying
 * Trying      Timer E          resend; E=min(2E,T2)                     Trying
 * Trying      1xx              to TU                                    Proceeding
 * Trying      200-699          to TU; Timer K=T4 (UDP) or 0             Completed
 * Trying      Timer F          TU timeout                               Terminated
 * Proceeding  Timer E          resend; E=T2                             Proceeding
 * Proceeding  1xx              to TU                                    Proceeding
 * Proceeding  200-699          to TU; Timer K                           Completed
 * Proceeding  Timer F          TU timeout                               Terminated
 * Completed   any response     absorb                                   Completed
 * Completed   Timer K          -                                        Terminated
 * </pre>
 */
public final class NonInviteClientTransaction extends ClientTransaction {

    public enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private State state = State.TRYING;

    NonInviteClientTransaction(TransactionLayer layer, String key, SipRequest request, SipSender sender,
                               TransactionExecutor executor, ClientTransactionListener listener) {
        super(layer, key, request, sender, executor, listener);
    }

    public State state() {
        return state;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }

    @Override
    void start() {
        transmit(request);
        if (!sender.reliable()) {
            timerE(timers().t1Millis());
        }
        timer(timers().timeoutMillis(), () -> {
            if (state == State.TRYING || state == State.PROCEEDING) {
                layer.counters().timeouts.increment();
                terminate();
                listener.onTimeout(this);
            }
        });
    }

    private void timerE(long interval) {
        timer(interval, () -> {
            if (state == State.TRYING || state == State.PROCEEDING) {
                transmit(request);
                timerE(state == State.PROCEEDING ? timers().t2Millis() : Math.min(2 * interval, timers().t2Millis()));
            }
        });
    }

    @Override
    void onResponse(SipResponse r) {
        switch (state) {
            case TRYING, PROCEEDING -> {
                if (r.status() < 200) {
                    state = State.PROCEEDING;
                    listener.onResponse(this, r);
                    return;
                }
                cancelTimers();
                state = State.COMPLETED;
                timer(sender.reliable() ? 0 : timers().t4Millis(), this::terminate);
                listener.onResponse(this, r);
                // Completed (Timer K) only absorbs retransmitted finals.
                listener = ClientTransactionListener.NONE;
                request = null;
            }
            default -> layer.counters().retransmissionsAbsorbed.increment();
        }
    }

    @Override
    void terminate() {
        state = State.TERMINATED;
        terminated();
    }
}
