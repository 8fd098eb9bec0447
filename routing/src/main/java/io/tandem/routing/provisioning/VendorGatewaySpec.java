package io.tandem.routing.provisioning;

import java.util.List;

/**
 * The editable fields of a vendor gateway. {@code registeredTrunkId} (null = a gateway at {@code host}) names
 * the customer trunk whose registered contact takes the calls (docs/registrations.md).
 */
public record VendorGatewaySpec(
        long accountId,
        String name,
        String host,
        int port,
        SipTransport transport,
        DnsLookup dnsLookup,
        String techPrefix,
        int priority,
        int weight,
        Integer maxCps,
        Integer maxConcurrentCalls,
        List<Integer> failoverCodes,
        boolean enabled,
        Long registeredTrunkId,
        MediaMode mediaMode) {

    /** Failover codes when none are given: the routing snapshot's default. */
    public static final List<Integer> DEFAULT_FAILOVER_CODES = io.tandem.routing.Gateway.DEFAULT_FAILOVER_CODES;
}
