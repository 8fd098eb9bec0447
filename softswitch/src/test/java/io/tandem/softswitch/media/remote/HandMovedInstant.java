package io.tandem.softswitch.media.remote;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** Time that moves only when the test moves it. */
final class HandMovedInstant implements InstantSource {
    private Instant now = Instant.parse("2026-12-06T12:00:00Z");

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration by) {
        now = now.plus(by);
    }
}
