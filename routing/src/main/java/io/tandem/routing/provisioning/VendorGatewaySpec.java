package io.tandem.routing.provisioning;

import java.util.List;

/** The editable fields of a vendor gateway. */
public record VendorGatewaySpec(
        long accountId,
        String name,
        String host,
        int port,
        SipTransport transport,
        String techPrefix,
        int priority,
        int weight,
        Integer maxCps,
        Integer maxConcurrentCalls,
        List<Integer> failoverCodes,
        boolean enabled) {

    /** Failover codes when none are given: timeouts and server failures, never a callee's answer. */
    public static final List<Integer> DEFAULT_FAILOVER_CODES = List.of(408, 480, 500, 502, 503, 504);
}
