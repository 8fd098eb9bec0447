package io.tandem.console.routing;

import io.tandem.routing.Micros;
import io.tandem.routing.RoutingRule;

/** A vendor line as the API answers it and the console shows it. */
public record RuleView(long id, String prefix, long vendorAccountId, Long vendorGatewayId, int priority, int weight,
                       String rateCeiling, boolean enabled) {

    public static RuleView of(RoutingRule r) {
        return new RuleView(r.id(), r.prefix(), r.vendorAccountId(), r.gatewayId(), r.priority(), r.weight(),
                r.rateCeilingMicros() == null ? null : Micros.format(r.rateCeilingMicros()), r.enabled());
    }
}
