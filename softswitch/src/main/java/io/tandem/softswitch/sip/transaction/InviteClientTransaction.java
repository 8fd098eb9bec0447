package io.tandem.softswitch.sip.transaction;

import io.tandem.softswitch.sip.message.CSeq;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;

/**
 * INVITE client transaction, RFC 3261 §17.1.1 as amended by RFC 6026 §7.2.
 *
 * <pre>
 * state       event            action                                    next
 * (start)     TU INVITE        send; Timer A=T1 (UDP); Timer B=64·T1     Calling
 * Calling     Timer A          resend; A=2A                              Calling
 * Calling     Timer B          TU timeout                                Terminated
 * Calling     1xx              to TU (send a pending CANCEL)             Proceeding
 * Calling/Pr. 2xx              to TU; Timer M=64·T1                      Accepted
 * Calling/Pr. 300-699          send ACK; to TU; Timer D=32 s (UDP) or 0  Completed
 * Proceeding  1xx              to TU                                     Proceeding
 * Accepted    2xx              to TU (the TU ACKs each, §13.2.2.4)       Accepted
 * Accepted    Timer M          -                                         Terminated
 * Completed   300-699          resend ACK                                Completed
 * Completed   Timer D          -                                         Terminated
 * </pre>
 */
public final class InviteClientTransaction extends ClientTransaction {

    public enum State { CALLING, PROCEEDING, ACCEPTED, COMPLETED, TERMINATED }

    private State state = State.CALLING;
    private SipRequest ack;
    private boolean cancelWanted;
    private boolean cancelSent;

    InviteClientTransaction(TransactionLayer layer, String key, SipRequest request, SipSender sender,
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

    /**
     * Cancels the INVITE (RFC 3261 §9.1): sent at once if a provisional response came, else as
     * soon as one does; nothing if a final response already came. The CANCEL's own response
     * is not reported; the INVITE's {@code 487} is.
     */
    public void cancel() {
        executor.execute(() -> {
            cancelWanted = true;
            if (state == State.PROCEEDING) {
                sendCancel();
            }
        });
    }

    @Override
    void start() {
        transmit(request);
        if (!sender.reliable()) {
            timerA(timers().t1Millis());
        }
        timer(timers().timeoutMillis(), () -> {
            if (state == State.CALLING) {
                layer.counters().timeouts.increment();
                terminate();
                listener.onTimeout(this);
            }
        });
    }

    private void timerA(long interval) {
        timer(interval, () -> {
            if (state == State.CALLING) {
                transmit(request);
                timerA(2 * interval);
            }
        });
    }

    @Override
    void onResponse(SipResponse r) {
        int s = r.status();
        switch (state) {
            case CALLING, PROCEEDING -> {
                if (s < 200) {
                    if (state == State.CALLING) {
                        cancelTimers();
                        state = State.PROCEEDING;
                        if (cancelWanted) {
                            sendCancel();
                        }
                    }
                    listener.onResponse(this, r);
                } else if (s < 300) {
                    cancelTimers();
                    state = State.ACCEPTED;
                    timer(timers().timeoutMillis(), this::terminate);
                    listener.onResponse(this, r);
                    // Accepted hands retransmitted 2xx to the TU; the INVITE itself is not sent again.
                    request = null;
                } else {
                    cancelTimers();
                    state = State.COMPLETED;
                    ack = ackFor(r);
                    transmit(ack);
                    timer(sender.reliable() ? 0 : timers().timerDMillis(), this::terminate);
                    listener.onResponse(this, r);
                    // Completed reports nothing more (retransmitted finals are ACKed here): let the TU go.
                    listener = ClientTransactionListener.NONE;
                    request = null;
                }
            }
            case ACCEPTED -> {
                if (s >= 200 && s < 300) {
                    listener.onResponse(this, r);
                }
            }
            case COMPLETED -> {
                if (s >= 300) {
                    layer.counters().retransmissionsAbsorbed.increment();
                    transmit(ack);
                }
            }
            case TERMINATED -> {
            }
        }
    }

    @Override
    void terminate() {
        state = State.TERMINATED;
        terminated();
    }

    private void sendCancel() {
        if (cancelSent) {
            return;
        }
        cancelSent = true;
        layer.startClient(cancelFor(request), sender, executor, ClientTransactionListener.NONE);
    }

    /** RFC 3261 §9.1: same Request-URI, Call-ID, To, From, CSeq number and top Via as the INVITE. */
    static SipRequest cancelFor(SipRequest invite) {
        SipRequest.Builder b = SipRequest.builder(SipRequest.CANCEL, invite.requestUri())
            .via(invite.topVia())
            .header(HeaderName.FROM, invite.header(HeaderName.FROM))
            .header(HeaderName.TO, invite.header(HeaderName.TO))
            .callId(invite.callId())
            .cseq(new CSeq(invite.cseq().sequence(), SipRequest.CANCEL))
            .maxForwards(70);
        for (String route : invite.headers().all(HeaderName.ROUTE)) {
            b.addHeader(HeaderName.ROUTE, route);
        }
        return b.build();
    }

    /** RFC 3261 §17.1.1.3: the ACK of a non-2xx final is part of this transaction. */
    SipRequest ackFor(SipResponse r) {
        SipRequest.Builder b = SipRequest.builder(SipRequest.ACK, request.requestUri())
            .via(request.topVia())
            .header(HeaderName.FROM, request.header(HeaderName.FROM))
            .header(HeaderName.TO, r.header(HeaderName.TO))
            .callId(request.callId())
            .cseq(new CSeq(request.cseq().sequence(), SipRequest.ACK))
            .maxForwards(70);
        for (String route : request.headers().all(HeaderName.ROUTE)) {
            b.addHeader(HeaderName.ROUTE, route);
        }
        return b.build();
    }
}
