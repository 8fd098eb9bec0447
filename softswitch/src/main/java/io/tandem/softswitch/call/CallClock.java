package io.tandem.softswitch.call;

import java.time.Clock;
import java.time.Instant;

/**
 * The call's one source of time: wall-clock instants for CDRs and elapsed nanoseconds for PDD and
 * breaker timings. Timers run on the call's event loop ({@code TransactionExecutor.schedule}); a
 * test passes a clock that moves with its hand-moved executor.
 */
public interface CallClock {

    Instant now();

    long nanos();

    /** Production: the given wall clock and {@link System#nanoTime()}. */
    static CallClock system(Clock wall) {
        return new CallClock() {
            @Override
            public Instant now() {
                return wall.instant();
            }

            @Override
            public long nanos() {
                return System.nanoTime();
            }
        };
    }
}
