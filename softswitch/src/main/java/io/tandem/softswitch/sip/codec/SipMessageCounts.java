package io.tandem.softswitch.sip.codec;

import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Messages of one direction counted by request method and by response status, for metrics. The
 * label sets are closed so that no stranger can grow them: a method outside {@link #METHODS} counts
 * as {@link #OTHER_METHOD}, and statuses are the 600 codes 100–699.
 */
public final class SipMessageCounts {

    /** The methods a class-4 switch sees (RFC 3261 and its extensions); others are counted together. */
    public static final List<String> METHODS = List.of("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK",
            "UPDATE", "INFO", "REFER", "NOTIFY", "SUBSCRIBE", "MESSAGE", "PUBLISH");
    public static final String OTHER_METHOD = "OTHER";

    private final LongAdder[] requests = new LongAdder[METHODS.size() + 1];
    private final AtomicLongArray responses = new AtomicLongArray(600);

    SipMessageCounts() {
        for (int i = 0; i < requests.length; i++) {
            requests[i] = new LongAdder();
        }
    }

    void count(SipMessage message) {
        switch (message) {
            case SipRequest request -> {
                int index = METHODS.indexOf(request.method());
                requests[index < 0 ? METHODS.size() : index].increment();
            }
            case SipResponse response -> {
                int status = response.status();
                if (status >= 100 && status <= 699) {
                    responses.incrementAndGet(status - 100);
                }
            }
        }
    }

    /** Requests of {@code method}, one of {@link #METHODS} or {@link #OTHER_METHOD}. */
    public long requests(String method) {
        int index = METHODS.indexOf(method);
        if (index < 0 && !OTHER_METHOD.equals(method)) {
            throw new IllegalArgumentException("not a counted method: " + method);
        }
        return requests[index < 0 ? METHODS.size() : index].sum();
    }

    /** Responses with exactly this status (100–699). */
    public long responses(int status) {
        return status < 100 || status > 699 ? 0 : responses.get(status - 100);
    }

    /** Responses whose status lies in {@code [from, to]}. */
    public long responses(int from, int to) {
        long sum = 0;
        for (int status = Math.max(100, from); status <= Math.min(699, to); status++) {
            sum += responses.get(status - 100);
        }
        return sum;
    }
}
