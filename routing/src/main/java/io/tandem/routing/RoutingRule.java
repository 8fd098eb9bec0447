package io.tandem.routing;

/**
 * One line of a routing profile's vendor list: for numbers starting with {@code prefix}
 * ({@code ""} = every number), offer the call to this vendor, through one gateway or (null) all its
 * enabled gateways. {@code priority} orders the {@link Strategy#PRIORITY priority} strategy and
 * breaks LCR ties; {@code weight} drives the {@link Strategy#WEIGHTED weighted} split;
 * {@code rateCeilingMicros} (null = none) skips the vendor when its buy rate is higher.
 */
public record RoutingRule(
        long id,
        String prefix,
        long vendorAccountId,
        Long gatewayId,
        int priority,
        int weight,
        Long rateCeilingMicros,
        boolean enabled) {
}
