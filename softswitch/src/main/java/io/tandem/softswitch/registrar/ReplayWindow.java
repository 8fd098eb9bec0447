package io.tandem.softswitch.registrar;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Refuses a sealed cluster event seen before, in the manner of IPsec's anti-replay window (RFC 4303
 * §3.4.3): per sender, the highest sequence number accepted and which of the {@value #WIDTH} below it
 * were seen, so events reordered by UDP still pass once. Anything older than the window, or sent more
 * than the allowed skew ago (or ahead), is refused: a captured MESSAGE is worthless after that.
 * Bounded: at most {@value #MAX_SENDERS} senders (only holders of the key can add one).
 * Not thread-safe: used on the registrar's executor.
 */
public final class ReplayWindow {

    static final int WIDTH = 4096;
    static final int MAX_SENDERS = 256;

    private static final class Sender {
        long highest;
        final BitSet seen = new BitSet(WIDTH);
    }

    private final long maxSkewMicros;
    private final Map<String, Sender> senders = new HashMap<>();

    /** @param maxSkewMicros how far the sender's clock may be from ours (and how long a MESSAGE may travel) */
    public ReplayWindow(long maxSkewMicros) {
        this.maxSkewMicros = maxSkewMicros;
    }

    /** Why an envelope was refused, or null when it is fresh (and is now remembered). */
    public String admit(ClusterEnvelope envelope, long nowMicros) {
        if (Math.abs(nowMicros - envelope.sentAtMicros()) > maxSkewMicros) {
            return "sent outside the replay window (clock skew or an old capture)";
        }
        Sender sender = senders.get(envelope.node());
        if (sender == null) {
            if (senders.size() >= MAX_SENDERS) {
                return "too many sending nodes";
            }
            sender = new Sender();
            sender.highest = envelope.seq();
            sender.seen.set(slot(envelope.seq()));
            senders.put(envelope.node(), sender);
            return null;
        }
        long seq = envelope.seq();
        if (seq > sender.highest) {
            long advance = seq - sender.highest;
            if (advance >= WIDTH) {
                sender.seen.clear();
            } else {
                for (long s = sender.highest + 1; s <= seq; s++) {
                    sender.seen.clear(slot(s));
                }
            }
            sender.highest = seq;
            sender.seen.set(slot(seq));
            return null;
        }
        if (sender.highest - seq >= WIDTH) {
            return "sequence number below the replay window";
        }
        if (sender.seen.get(slot(seq))) {
            return "replayed";
        }
        sender.seen.set(slot(seq));
        return null;
    }

    private static int slot(long seq) {
        return (int) Math.floorMod(seq, (long) WIDTH);
    }
}
