package io.tandem.softswitch.sip.message;

/**
 * The wire octets of a message this node sent, kept to send again and nothing more: a
 * transaction absorbing retransmissions for up to 32 s (Timers J, L, M) re-sends its last
 * answer or ACK, and at thousands of calls per second a parsed message (its URIs, addresses and
 * parameters) kept that long is most of the live heap.
 */
public final class SentMessage implements SipOctets {
    private final byte[] octets;

    private SentMessage(byte[] octets) {
        this.octets = octets;
    }

    /** The octets of {@code message}; a built message's own array is shared (it is never written to). */
    public static SentMessage of(SipMessage message) {
        return new SentMessage(message.wireOctets());
    }

    @Override
    public int encodedLength() {
        return octets.length;
    }

    @Override
    public void writeTo(ByteSink sink) {
        sink.write(octets, 0, octets.length);
    }

    @Override
    public byte[] wireOctets() {
        return octets;
    }
}
