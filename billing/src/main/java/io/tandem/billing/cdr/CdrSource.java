package io.tandem.billing.cdr;

import java.util.function.Consumer;

/** Stored CDRs, read as a stream ({@code persistence.CdrStore}). */
public interface CdrSource {

    /**
     * Hands every CDR matching the filter to {@code sink}, in start order, holding only a fetch
     * size worth of rows in memory. Blocking.
     *
     * @return the number of rows streamed
     */
    long stream(CdrFilter filter, Consumer<CdrRecord> sink);
}
