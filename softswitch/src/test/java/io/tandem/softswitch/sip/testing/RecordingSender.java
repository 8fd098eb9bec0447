package io.tandem.softswitch.sip.testing;

import io.tandem.softswitch.sip.message.SipMessage;
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
    public void send(SipMessage message, Consumer<Throwable> onFailure) {
        sent.add(new Sent(clock.now(), message));
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
