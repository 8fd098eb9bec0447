package io.tandem.softswitch.media.relay;

import java.util.concurrent.atomic.LongAdder;

/** Node-wide counters of the relay, for metrics (read from any thread). */
public final class RelayCounters {
    final LongAdder relayed = new LongAdder();
    final LongAdder hijackDropped = new LongAdder();
    final LongAdder probation = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder undeliverable = new LongAdder();
    final LongAdder sendBufferFull = new LongAdder();
    final LongAdder socketErrors = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder noPorts = new LongAdder();

    public long relayed() {
        return relayed.sum();
    }

    /** Packets from a source other than the latched one while it was still talking. */
    public long hijackDropped() {
        return hijackDropped.sum();
    }

    /** Packets dropped because the sending socket's buffer was full (the relay never queues media). */
    public long sendBufferFull() {
        return sendBufferFull.sum();
    }

    public long malformed() {
        return malformed.sum();
    }

    public long timeouts() {
        return timeouts.sum();
    }

    /** Calls that could not be anchored because every port pair was in use. */
    public long noPorts() {
        return noPorts.sum();
    }
}
