package io.tandem.billing.reconciliation;

import java.time.Instant;
import java.util.Iterator;
import java.util.function.Function;

/** Our answered calls to one vendor, in connect-time order, read inside one database cursor. */
public interface OurCallSource {

    /**
     * Opens a cursor over the vendor's calls connected in {@code [from, until)} and hands it to {@code reader};
     * the cursor is closed when {@code reader} returns. Blocking: never on an event loop.
     */
    <R> R read(long vendorAccountId, Instant from, Instant until, Function<Iterator<CallLeg>, R> reader);
}
