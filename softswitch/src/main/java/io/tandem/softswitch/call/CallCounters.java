package io.tandem.softswitch.call;

import java.util.concurrent.atomic.LongAdder;

/** The node's call counters; written on event loops, read by metrics as {@link CallStats}. */
final class CallCounters {
    final LongAdder offered = new LongAdder();
    final LongAdder answered = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder vendorAttempts = new LongAdder();
    final LongAdder failovers = new LongAdder();

    CallStats snapshot(int active) {
        return new CallStats(active, offered.sum(), answered.sum(), rejected.sum(), vendorAttempts.sum(), failovers.sum());
    }
}
