package io.tandem.routing;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Per-call inputs of {@link RouteTable#route} that are not in the table: live vendor quality for the
 * quality strategy, the random source of the weighted strategy (seed it in tests), and whether to
 * record a human-readable trace (the route simulator does; the call path does not).
 */
public record RouteOptions(VendorQuality quality, RandomGenerator random, boolean trace) {

    /** Neutral quality, {@link ThreadLocalRandom}, no trace: what the call path uses. */
    public static final RouteOptions DEFAULT = new RouteOptions(VendorQuality.NEUTRAL, ThreadLocalRandom.current(), false);

    public RouteOptions {
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(random, "random");
    }

    public RouteOptions withQuality(VendorQuality quality) {
        return new RouteOptions(quality, random, trace);
    }

    public RouteOptions withRandom(RandomGenerator random) {
        return new RouteOptions(quality, random, trace);
    }

    public RouteOptions withTrace(boolean trace) {
        return new RouteOptions(quality, random, trace);
    }
}
