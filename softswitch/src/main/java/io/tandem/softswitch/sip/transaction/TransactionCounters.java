package io.tandem.softswitch.sip.transaction;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one {@link TransactionLayer}. */
public final class TransactionCounters {
    final LongAdder serverTransactions = new LongAdder();
    final LongAdder clientTransactions = new LongAdder();
    final LongAdder retransmissionsAbsorbed = new LongAdder();
    final LongAdder strayResponses = new LongAdder();
    final LongAdder statelessOptions = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder transportErrors = new LongAdder();

    public long serverTransactions() {
        return serverTransactions.sum();
    }

    public long clientTransactions() {
        return clientTransactions.sum();
    }

    public long retransmissionsAbsorbed() {
        return retransmissionsAbsorbed.sum();
    }

    public long strayResponses() {
        return strayResponses.sum();
    }

    public long statelessOptions() {
        return statelessOptions.sum();
    }

    /** Requests the stack answered itself with 416, 420, 481, 482 or 483. */
    public long rejected() {
        return rejected.sum();
    }

    public long timeouts() {
        return timeouts.sum();
    }

    public long transportErrors() {
        return transportErrors.sum();
    }
}
