package io.tandem.softswitch.call;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The node's call counters; written on event loops, read by metrics as {@link CallStats}. */
final class CallCounters {
    final LongAdder offered = new LongAdder();
    final LongAdder answered = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder vendorAttempts = new LongAdder();
    final LongAdder failovers = new LongAdder();
    /** Keys are {@link CallRejections#reasonName}s: a closed set, one per kind of rejection. */
    private final Map<String, LongAdder> rejectedByReason = new ConcurrentHashMap<>();

    void reject(CallRejection rejection) {
        reject(CallRejections.reasonName(rejection));
    }

    void reject(String reasonName) {
        rejected.increment();
        rejectedByReason.computeIfAbsent(reasonName, name -> new LongAdder()).increment();
    }

    long rejected(String reasonName) {
        LongAdder count = rejectedByReason.get(reasonName);
        return count == null ? 0 : count.sum();
    }

    CallStats snapshot(int active) {
        return new CallStats(active, offered.sum(), answered.sum(), rejected.sum(), vendorAttempts.sum(), failovers.sum());
    }
}
