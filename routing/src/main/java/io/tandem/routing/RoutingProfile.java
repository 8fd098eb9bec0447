package io.tandem.routing;

import java.math.BigDecimal;
import java.util.List;

/**
 * How a customer's calls choose vendors. Loss protection: a vendor dearer than the sell rate, or
 * leaving less than {@code minMarginMicros} per minute or {@code minMarginPercent} of the sell rate,
 * is skipped unless {@code allowLoss}. At most {@code maxAttempts} vendors are tried per call.
 */
public record RoutingProfile(
        long id,
        String name,
        Strategy strategy,
        long minMarginMicros,
        BigDecimal minMarginPercent,
        boolean allowLoss,
        int maxAttempts,
        List<RoutingRule> rules) {

    public RoutingProfile {
        rules = List.copyOf(rules);
    }
}
