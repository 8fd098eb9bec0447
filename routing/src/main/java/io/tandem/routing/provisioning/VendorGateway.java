package io.tandem.routing.provisioning;

import java.time.Instant;
import java.util.List;

/**
 * Where a vendor takes our calls: at {@code host}, or ({@code registeredTrunkId} set) at the registered
 * contact of that customer trunk of the same account (docs/registrations.md).
 */
public record VendorGateway(
        long id,
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
        MediaMode mediaMode,
        Instant createdAt,
        Instant updatedAt,
        Long registeredTrunkId) {
}
