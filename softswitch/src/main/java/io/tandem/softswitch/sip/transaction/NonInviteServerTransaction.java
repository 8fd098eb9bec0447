package io.tandem.softswitch.sip.transaction;

import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import java.net.InetSocketAddress;

/**
 * Non-INVITE server transaction, RFC 3261 §17.2.2.
 *
 * <pre>
 * state       event              action                                 next
 * (start)     request            pass to TU                             Trying
 * Trying      request again      absorb                                 Trying
 * Trying      TU 1xx             send                                   Proceeding
 * Trying      TU 200-699         send; Timer J=64·T1 (UDP) or 0         Completed
 * Proceeding  request again      resend last provisional                Proceeding
 * Proceeding  TU 1xx             send                                   Proceeding
 * Proceeding  TU 200-699         send; Timer J                          Completed
 * Completed   request again      resend final                           Completed
 * Completed   Timer J            -                                      Terminated
 * </pre>
 */
public final class NonInviteServerTransaction extends ServerTransaction {

    public enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private State state = State.TRYING;
    private final boolean passToUser;

    NonInviteServerTransaction(TransactionLayer layer, String key, SipRequest request, SipSender sender,
                               TransactionExecutor executor, InetSocketAddress source, boolean passToUser) {
        super(layer, key, request, sender, executor, source);
        this.passToUser = passToUser;
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
        if (passToUser) {
            passToUser();
        }
    }

    @Override
    void onTransactionUserResponse(SipResponse r) {
        if (state == State.COMPLETED || state == State.TERMINATED) {
            return;
        }
        transmit(r);
        if (r.status() < 200) {
            state = State.PROCEEDING;
            return;
        }
        state = State.COMPLETED;
        releaseMessages(false);
        timer(sender.reliable() ? 0 : timers().timeoutMillis(), () -> {
            state = State.TERMINATED;
            terminated();
        });
    }

    @Override
    void onRequestAgain(SipRequest again) {
        layer.counters().retransmissionsAbsorbed.increment();
        if (state != State.TRYING) {
            retransmitLast();
        }
    }
}
