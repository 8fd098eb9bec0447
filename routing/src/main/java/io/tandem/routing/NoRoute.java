package io.tandem.routing;

import java.util.List;

/**
 * A call that cannot be routed, with the reason and a sentence a NOC engineer understands.
 * {@code sellRate} is set when the customer had a rate but no vendor could take the call.
 */
public record NoRoute(
        NoRouteReason reason,
        String detail,
        long trunkId,
        String callee,
        String caller,
        Rate sellRate,
        List<SkippedVendor> skipped,
        List<String> trace) implements RouteResult {

    public NoRoute {
        skipped = List.copyOf(skipped);
        trace = List.copyOf(trace);
    }
}
