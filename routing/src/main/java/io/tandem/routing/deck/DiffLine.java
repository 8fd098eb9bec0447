package io.tandem.routing.deck;

import java.time.Instant;

/**
 * One code in the preview: its old and new terms (micros; null when there was none or will be none)
 * and when the change takes effect. {@code row} is the file row, 0 for codes closed because a
 * full deck left them out.
 */
public record DiffLine(
        DiffKind kind,
        int row,
        String prefix,
        String destination,
        Long oldRateMicros,
        Long newRateMicros,
        Instant effectiveFrom) {
}
