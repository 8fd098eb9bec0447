package io.tandem.console.routing;

/** A vendor line of a routing profile: {@code prefix} "" = every number; {@code vendorGatewayId} null = all the vendor's gateways. */
public record RuleRequest(String prefix, Long vendorAccountId, Long vendorGatewayId, Integer priority, Integer weight,
                          String rateCeiling, Boolean enabled) {
}
