package io.tandem.softswitch.sip.codec;

import java.util.concurrent.atomic.LongAdder;

/** Decoder counters, shared by every channel of a stack. */
public final class CodecCounters {
    final LongAdder decoded = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder keepAlives = new LongAdder();
    final LongAdder oversized = new LongAdder();
    private final SipMessageCounts received = new SipMessageCounts();
    private final SipMessageCounts sent = new SipMessageCounts();

    /** Messages decoded, by method and status. */
    public SipMessageCounts received() {
        return received;
    }

    /** Messages written (first transmissions; retransmissions of kept octets are not counted), by method and status. */
    public SipMessageCounts sent() {
        return sent;
    }

    public long decoded() {
        return decoded.sum();
    }

    public long malformed() {
        return malformed.sum();
    }

    public long keepAlives() {
        return keepAlives.sum();
    }

    /** Stream frames closed for exceeding {@link io.tandem.softswitch.sip.message.SipParser#MAX_MESSAGE_SIZE}. */
    public long oversized() {
        return oversized.sum();
    }
}
