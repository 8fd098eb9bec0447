package io.tandem.console.gateways;

import io.tandem.routing.provisioning.VendorGateway;
import java.util.List;

/**
 * A vendor gateway as the REST API and the console send it; null fields take the defaults on create.
 * {@code registeredTrunkId}: calls go to that customer trunk's registered contact instead of {@code host}.
 */
public record GatewayRequest(Long accountId, String name, String host, Integer port, String transport, String techPrefix,
                             Integer priority, Integer weight, Integer maxCps, Integer maxConcurrentCalls,
                             List<Integer> failoverCodes, Boolean enabled, String dnsLookup, Long registeredTrunkId,
                             String mediaMode) {

    /** The gateway as a request would state it: what a {@code PUT} body or an edit starts from. */
    public static GatewayRequest of(VendorGateway g) {
        return new GatewayRequest(g.accountId(), g.name(), g.host(), g.port(), g.transport().code(), g.techPrefix(), g.priority(),
                g.weight(), g.maxCps(), g.maxConcurrentCalls(), g.failoverCodes(), g.enabled(), g.dnsLookup().code(),
                g.registeredTrunkId(), g.mediaMode().code());
    }
}
