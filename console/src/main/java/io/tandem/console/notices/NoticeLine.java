package io.tandem.console.notices;

import java.time.Instant;

/**
 * One changed code of a rate-change notice. Money in micro-units; {@code oldRateMicros} is null for a new code,
 * {@code newRateMicros} (and the terms after) null for a closed one.
 */
public record NoticeLine(Change change, String prefix, String destination, Long oldRateMicros, Long newRateMicros,
                         Long connectFeeMicros, Integer initialIncrement, Integer nextIncrement, Instant effectiveFrom) {

    /** How a code changes, as the notice and its CSV name it. */
    public enum Change {
        INCREASE, DECREASE, NEW, CLOSED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Change ofCode(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
