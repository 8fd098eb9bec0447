package io.tandem.softswitch.sip.protection;

import java.util.concurrent.atomic.LongAdder;

/** What flood protection let through, dropped and banned. */
public final class ProtectionCounters {
    final LongAdder passed = new LongAdder();
    final LongAdder droppedBanned = new LongAdder();
    final LongAdder bans = new LongAdder();
    final LongAdder droppedScanners = new LongAdder();
    final LongAdder allowListed = new LongAdder();

    public long passed() {
        return passed.sum();
    }

    /** Messages dropped because their source was banned (including the one that caused the ban). */
    public long droppedBanned() {
        return droppedBanned.sum();
    }

    public long bans() {
        return bans.sum();
    }

    public long droppedScanners() {
        return droppedScanners.sum();
    }

    public long allowListed() {
        return allowListed.sum();
    }
}
