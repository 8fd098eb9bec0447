package io.tandem.softswitch.sip.transaction;

import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import java.net.InetSocketAddress;

/**
 * INVITE server transaction, RFC 3261 §17.2.1 as amended by RFC 6026 §7.1.
 *
 * <pre>
 * state       event                          action                               next
 * (start)     INVITE                         send 100 Trying, pass to TU          Proceeding
 * Proceeding  INVITE again                   resend last provisional              Proceeding
 * Proceeding  TU 1xx                         send                                 Proceeding
 * Proceeding  TU 2xx                         send; Timer L=64·T1; resend 2xx      Accepted
 *                                            every T1..T2 until the ACK (UDP)
 * Proceeding  TU 300-699                     send; Timer G=T1 (UDP); Timer H=64·T1 Completed
 * Accepted    INVITE again                   absorb                               Accepted
 * Accepted    TU 2xx                         send                                 Accepted
 * Accepted    ACK (dialog)                   stop resending 2xx                   Accepted
 * Accepted    Timer L                        TU ack-timeout if no ACK came        Terminated
 * Completed   INVITE again / Timer G         resend final; G=min(2G,T2)           Completed
 * Completed   ACK                            Timer I=T4 (UDP) or 0                Confirmed
 * Completed   Timer H                        (no ACK: give up)                    Terminated
 * Confirmed   ACK                            absorb                               Confirmed
 * Confirmed   Timer I                        -                                    Terminated
 * </pre>
 *
 * The 2xx retransmission belongs to the UAS core in RFC 3261 §13.3.1.4; it lives here because
 * the Accepted state already spans exactly its lifetime.
 */
public final class InviteServerTransaction extends ServerTransaction {

    public enum State { PROCEEDING, ACCEPTED, COMPLETED, CONFIRMED, TERMINATED }

    private State state = State.PROCEEDING;
    private SipResponse finalResponse;
    private boolean ackReceived;
    private TransactionExecutor.Cancellable retransmit2xx;

    InviteServerTransaction(TransactionLayer layer, String key, SipRequest request, SipSender sender,
                            TransactionExecutor executor, InetSocketAddress source) {
        super(layer, key, request, sender, executor, source);
    }

    /** Read on the transaction's executor (tests, diagnostics). */
    public State state() {
        return state;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }

    @Override
    void start() {
        transmit(responseBuilder(100).build());
        passToUser();
    }

    @Override
    void onTransactionUserResponse(SipResponse r) {
        int s = r.status();
        switch (state) {
            case PROCEEDING -> {
                if (s < 200) {
                    transmit(r);
                } else if (s < 300) {
                    finalResponse = r;
                    transmit(r);
                    state = State.ACCEPTED;
                    layer.awaitAck(this);
                    timer(timers().timeoutMillis(), this::timerL);
                    if (!sender.reliable()) {
                        schedule2xx(timers().t1Millis());
                    }
                } else {
                    finalResponse = r;
                    transmit(r);
                    state = State.COMPLETED;
                    releaseMessages(false);
                    if (!sender.reliable()) {
                        timerG(timers().t1Millis());
                    }
                    timer(timers().timeoutMillis(), this::timerH);
                }
            }
            case ACCEPTED -> {
                if (s >= 200 && s < 300) {
                    transmit(r);
                }
            }
            default -> {
                // RFC 3261 §17.2.1: a final response is sent once; later ones from the TU are ignored.
            }
        }
    }

    @Override
    void onRequestAgain(SipRequest again) {
        if (again.isAck()) {
            if (state == State.COMPLETED) {
                cancelTimers();
                state = State.CONFIRMED;
                releaseMessages(true);
                timer(sender.reliable() ? 0 : timers().t4Millis(), this::terminate);
            } else if (state == State.ACCEPTED) {
                // The ACK of our 2xx reusing the INVITE's branch (RFC 2543 peers, sloppy stacks):
                // it is still the dialog's ACK, so stop the 2xx and hand it on.
                layer.ackMatched(this);
                onDialogAck();
                layer.handler().onAck(again);
            } else {
                layer.counters().retransmissionsAbsorbed.increment();
            }
            return;
        }
        layer.counters().retransmissionsAbsorbed.increment();
        if (state == State.PROCEEDING || state == State.COMPLETED) {
            retransmitLast();
        }
    }

    /** The ACK for our 2xx arrived (matched by dialog, it has its own branch). */
    void onDialogAck() {
        ackReceived = true;
        if (retransmit2xx != null) {
            retransmit2xx.cancel();
            retransmit2xx = null;
        }
        // Accepted now only absorbs INVITE retransmissions until Timer L: nothing to resend.
        finalResponse = null;
        releaseMessages(true);
    }

    private void schedule2xx(long interval) {
        retransmit2xx = executor.schedule(() -> {
            if (state == State.ACCEPTED && !ackReceived) {
                retransmitLast();
                schedule2xx(Math.min(2 * interval, timers().t2Millis()));
            }
        }, interval);
    }

    private void timerG(long interval) {
        timer(interval, () -> {
            if (state == State.COMPLETED) {
                retransmitLast();
                timerG(Math.min(2 * interval, timers().t2Millis()));
            }
        });
    }

    private void timerH() {
        if (state == State.COMPLETED) {
            layer.counters().timeouts.increment();
            terminate();
        }
    }

    private void timerL() {
        if (state != State.ACCEPTED) {
            return;
        }
        boolean acked = ackReceived;
        if (retransmit2xx != null) {
            retransmit2xx.cancel();
        }
        terminate();
        if (!acked) {
            layer.counters().timeouts.increment();
            layer.handler().onAckTimeout(this);
        }
    }

    private void terminate() {
        state = State.TERMINATED;
        terminated();
    }

    /** Whether the INVITE has not been answered finally yet, so a CANCEL still matters. */
    boolean isPending() {
        return state == State.PROCEEDING;
    }

    SipResponse finalResponse() {
        return finalResponse;
    }
}
