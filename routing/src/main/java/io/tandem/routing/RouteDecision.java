package io.tandem.routing;

import java.util.List;

/**
 * A routable call: what the customer pays ({@code sellRate}, in {@code currency}) and the vendor
 * gateways to try in order. {@code candidates} is never empty.
 */
public record RouteDecision(
        long trunkId,
        long customerAccountId,
        String callee,
        String caller,
        Rate sellRate,
        String currency,
        String profileName,
        Strategy strategy,
        List<VendorCandidate> candidates,
        List<SkippedVendor> skipped,
        List<String> trace) implements RouteResult {

    public RouteDecision {
        candidates = List.copyOf(candidates);
        skipped = List.copyOf(skipped);
        trace = List.copyOf(trace);
    }
}
