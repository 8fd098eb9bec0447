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
    final LongAdder statelessAnswers = new LongAdder();
    final LongAdder silenced = new LongAdder();
    final LongAdder refusedFull = new LongAdder();
    final LongAdder shed = new LongAdder();
    final LongAdder shedUnparsed = new LongAdder();
    final LongAdder shedAcksDropped = new LongAdder();

    /** New INVITEs refused with 503 because the node was overloaded (see {@code OverloadShedder}). */
    public long shed() {
        return shed.sum();
    }

    /** Of {@link #shed()}: refused from a glance at the datagram, without parsing it (see {@code OverloadEdge}). */
    public long shedUnparsed() {
        return shedUnparsed.sum();
    }

    /** ACKs of overload 503s dropped from a glance at the datagram, without parsing it. */
    public long shedAcksDropped() {
        return shedAcksDropped.sum();
    }

    /** New requests answered once without a transaction (challenges and refusals to strangers). */
    public long statelessAnswers() {
        return statelessAnswers.sum();
    }

    /** New requests the transaction user chose not to answer (slowed or banned sources). */
    public long silenced() {
        return silenced.sum();
    }

    /** New requests refused with 503 because the transaction table (or the source's share) was full. */
    public long refusedFull() {
        return refusedFull.sum();
    }

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
