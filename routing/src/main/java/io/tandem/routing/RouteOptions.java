package io.tandem.routing;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Per-call inputs of {@link RouteTable#route} that are not in the table: live vendor quality for the
 * quality strategy, the random source of the weighted strategy (seed it in tests), whether to
 * record a human-readable trace (the route simulator does; the call path does not), and which customer
 * trunks have a registered contact now (for gateways that reach one).
 */
public record RouteOptions(VendorQuality quality, RandomGenerator random, boolean trace, RegisteredContacts registered) {

    /** Neutral quality, {@link ThreadLocalRandom}, no trace, no registrations: what the call path starts from. */
    public static final RouteOptions DEFAULT = new RouteOptions(VendorQuality.NEUTRAL, ThreadLocalRandom.current(), false);

    public RouteOptions {
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(registered, "registered");
    }

    public RouteOptions(VendorQuality quality, RandomGenerator random, boolean trace) {
        this(quality, random, trace, RegisteredContacts.NONE);
    }

    public RouteOptions withQuality(VendorQuality quality) {
        return new RouteOptions(quality, random, trace, registered);
    }

    public RouteOptions withRandom(RandomGenerator random) {
        return new RouteOptions(quality, random, trace, registered);
    }

    public RouteOptions withTrace(boolean trace) {
        return new RouteOptions(quality, random, trace, registered);
    }

    public RouteOptions withRegistered(RegisteredContacts registered) {
        return new RouteOptions(quality, random, trace, registered);
    }
}
