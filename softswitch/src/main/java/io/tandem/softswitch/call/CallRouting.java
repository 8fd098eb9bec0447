package io.tandem.softswitch.call;

import io.tandem.routing.RegisteredContacts;
import io.tandem.routing.RouteOptions;
import io.tandem.routing.RouteResult;
import io.tandem.routing.RouteTable;
import io.tandem.softswitch.call.quality.QualityStats;
import java.time.Instant;
import java.util.function.Supplier;

/** The call's question to routing: the sell rate and the vendors for this number, now. */
@FunctionalInterface
public interface CallRouting {

    RouteResult route(long trunkId, String callee, String caller, Instant at);

    /** Production: the current hot-reloaded route table, with vendor quality for quality-aware strategies. */
    static CallRouting of(Supplier<RouteTable> routes, QualityStats quality) {
        return of(routes, quality, RegisteredContacts.NONE);
    }

    /** Production: as {@link #of(Supplier, QualityStats)}, gateways to registered contacts skipped while their trunk has none. */
    static CallRouting of(Supplier<RouteTable> routes, QualityStats quality, RegisteredContacts registered) {
        RouteOptions options = RouteOptions.DEFAULT.withQuality(quality).withRegistered(registered);
        return (trunkId, callee, caller, at) -> routes.get().route(trunkId, callee, caller, at, options);
    }
}
