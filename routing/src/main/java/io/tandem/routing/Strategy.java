package io.tandem.routing;

import java.util.Locale;

/** How a routing profile orders the vendors that may carry a call. */
public enum Strategy {
    /** Cheapest buy rate first; ties by rule priority, then vendor id. */
    LCR,
    /** Rule priority (lower first) regardless of price. */
    PRIORITY,
    /** A random order drawn by the rules' weights, so traffic splits by percentage over many calls. */
    WEIGHTED,
    /** Best live quality score first ({@link VendorQuality}); ties fall back to LCR. */
    QUALITY;

    /** The value stored in {@code routing_profile.strategy}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Strategy ofCode(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT));
    }
}
