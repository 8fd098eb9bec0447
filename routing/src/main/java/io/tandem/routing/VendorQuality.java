package io.tandem.routing;

/**
 * Live quality of a vendor gateway (ASR/ACD folded into one score), supplied by the call engine
 * for the {@link Strategy#QUALITY quality} strategy. Implementations must answer from memory:
 * they run on the call path.
 */
@FunctionalInterface
public interface VendorQuality {

    /** Every vendor scores the same, so quality routing falls back to LCR order. */
    VendorQuality NEUTRAL = (vendorAccountId, gatewayId, prefix) -> 0.0;

    /**
     * A score where higher is better (e.g. {@code ASR * ACD}); only the order matters.
     *
     * @param prefix the buy-rate prefix the call matched, for per-destination scores
     */
    double score(long vendorAccountId, long gatewayId, String prefix);
}
