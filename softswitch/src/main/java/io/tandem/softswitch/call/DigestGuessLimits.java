package io.tandem.softswitch.call;

import java.time.Duration;

/**
 * How a source that keeps answering our digest challenges wrongly is slowed and then banned
 * ({@link DigestFailureBans}).
 *
 * @param slowAfter  failures after which each further answer is followed by a pause of silence
 * @param banAfter   failures after which the source is banned through flood protection
 * @param window     failures older than this are forgotten
 * @param firstPause the first pause; each further failure doubles it
 */
public record DigestGuessLimits(int slowAfter, int banAfter, Duration window, Duration firstPause) {

    public DigestGuessLimits {
        if (slowAfter < 1 || banAfter < slowAfter || window.isNegative() || window.isZero() || firstPause.isNegative()) {
            throw new IllegalArgumentException("digest guessing limits: 1 <= slow-after <= ban-after, window > 0, pause >= 0");
        }
    }

    /** Slowed after 3 wrong answers within 10 minutes (pauses of 1 s, 2 s, 4 s, ...), banned after 10. */
    public static DigestGuessLimits defaults() {
        return new DigestGuessLimits(3, 10, Duration.ofMinutes(10), Duration.ofSeconds(1));
    }
}
