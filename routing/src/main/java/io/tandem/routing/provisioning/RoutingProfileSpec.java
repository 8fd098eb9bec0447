package io.tandem.routing.provisioning;

import java.math.BigDecimal;

/**
 * A routing profile's editable fields.
 *
 * @param strategy         lcr, priority, weighted or quality
 * @param minMargin        smallest acceptable sell - buy per minute (absolute)
 * @param minMarginPercent smallest acceptable margin as a percentage of the sell rate
 * @param allowLoss        route through vendors dearer than the sell rate
 * @param maxAttempts      vendors tried per call at most
 */
public record RoutingProfileSpec(
        String name,
        String strategy,
        BigDecimal minMargin,
        BigDecimal minMarginPercent,
        boolean allowLoss,
        int maxAttempts) {
}
