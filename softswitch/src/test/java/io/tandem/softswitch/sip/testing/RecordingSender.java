package io.tandem.softswitch.sip.testing;

import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipOctets;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.SipSender;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Keeps what a transaction sends, with the time it was sent. */
public final class RecordingSender implements SipSender {
    public record Sent(long at, SipMessage message) {
    }

    private final ManualClock clock;
    private final boolean reliable;
    public final List<Sent> sent = new ArrayList<>();

    public RecordingSender(ManualClock clock, boolean reliable) {
        this.clock = clock;
        this.reliable = reliable;
    }

    @Override
    public void send(SipOctets message, Consumer<Throwable> onFailure) {
        sent.add(new Sent(clock.now(), asMessage(message)));
    }

    /** Kept octets ({@link io.tandem.softswitch.sip.message.SentMessage}) are parsed back, as a peer would. */
    private static SipMessage asMessage(SipOctets octets) {
        if (octets instanceof SipMessage m) {
            return m;
        }
        byte[] b = new byte[octets.encodedLength()];
        int[] at = {0};
        octets.writeTo((src, off, len) -> {
            System.arraycopy(src, off, b, at[0], len);
            at[0] += len;
        });
        return ((SipParseResult.Parsed) SipParser.parse(b, 0, b.length)).message();
    }

    @Override
    public boolean reliable() {
        return reliable;
    }

    public List<Integer> statuses() {
        return sent.stream().filter(s -> s.message() instanceof SipResponse)
            .map(s -> ((SipResponse) s.message()).status()).toList();
    }

    public List<String> methods() {
        return sent.stream().filter(s -> s.message() instanceof SipRequest)
            .map(s -> ((SipRequest) s.message()).method()).toList();
    }

    public List<Long> times() {
        return sent.stream().map(Sent::at).toList();
    }

    public SipMessage last() {
        return sent.getLast().message();
    }
}
