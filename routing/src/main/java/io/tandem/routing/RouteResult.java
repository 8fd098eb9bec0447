package io.tandem.routing;

import java.util.List;

/** The outcome of {@link RouteTable#route}: a {@link RouteDecision} or a {@link NoRoute}. */
public sealed interface RouteResult permits RouteDecision, NoRoute {

    /** The called number after tech prefix and translation rules (as dialled if that failed). */
    String callee();

    /** The calling number after translation rules. */
    String caller();

    /** Vendors that were listed but not offered the call, with the reason. */
    List<SkippedVendor> skipped();

    /** The normalization steps and decisions in order, for the route simulator. */
    List<String> trace();
}
