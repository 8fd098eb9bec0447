package io.tandem.routing;

import java.util.List;

/**
 * A vendor's SIP gateway: where a B-leg INVITE goes. Lower priority is tried first.
 *
 * @param maxCps             calls per second the gateway takes (cluster-wide), null = no cap
 * @param maxConcurrentCalls calls the gateway carries at once (cluster-wide), null = no cap
 * @param failoverCodes      final answers after which the next vendor is tried
 * @param dnsLookup          {@code address}, {@code srv} or {@code naptr}: how {@code host} is resolved (RFC 3263)
 * @param registeredTrunkId  null for a gateway at {@code host}; else the customer trunk (of the same account, kind
 *                           {@code both}) whose registered contact takes the calls, found at call time
 *                           (docs/registrations.md); {@code host}, {@code port}, {@code transport} and
 *                           {@code dnsLookup} then mean nothing
 * @param mediaMode          {@code relay}, {@code auto} or {@code bypass}: whether this gateway's calls ask for the media
 *                           relay (docs/media.md); a call is anchored when its trunk or its gateway asks
 */
public record Gateway(
        long id,
        long vendorAccountId,
        String name,
        String host,
        int port,
        String transport,
        String techPrefix,
        int priority,
        int weight,
        boolean enabled,
        Integer maxCps,
        Integer maxConcurrentCalls,
        List<Integer> failoverCodes,
        String dnsLookup,
        Long registeredTrunkId,
        String mediaMode) {

    /** Failover codes of a gateway that names none: timeouts and server failures, never the callee's answer. */
    public static final List<Integer> DEFAULT_FAILOVER_CODES = List.of(408, 480, 500, 502, 503, 504);

    /**
     * Failover codes as stored on {@code vendor_gateway} ({@code "408,503"}); entries that are not
     * 3xx-6xx codes are skipped (the API validates them). Null when none is left.
     */
    public static List<Integer> parseFailoverCodes(String stored) {
        List<Integer> codes = new java.util.ArrayList<>();
        if (stored != null) {
            for (String part : stored.split(",")) {
                String code = part.trim();
                if (code.matches("[3-6][0-9][0-9]")) {
                    codes.add(Integer.valueOf(code));
                }
            }
        }
        return codes.isEmpty() ? null : List.copyOf(codes);
    }

    public Gateway {
        failoverCodes = failoverCodes == null ? DEFAULT_FAILOVER_CODES : List.copyOf(failoverCodes);
        dnsLookup = dnsLookup == null ? "address" : dnsLookup;
        mediaMode = mediaMode == null ? "bypass" : mediaMode;
    }

    /** A gateway at its host (no registered contact) that asks nothing of the media relay (its calls follow their trunk's media mode). */
    public Gateway(long id, long vendorAccountId, String name, String host, int port, String transport, String techPrefix,
                   int priority, int weight, boolean enabled, Integer maxCps, Integer maxConcurrentCalls,
                   List<Integer> failoverCodes, String dnsLookup) {
        this(id, vendorAccountId, name, host, port, transport, techPrefix, priority, weight, enabled, maxCps,
                maxConcurrentCalls, failoverCodes, dnsLookup, null, null);
    }

    /** Whether calls go to a customer trunk's registered contact rather than to {@code host}. */
    public boolean reachesRegisteredContact() {
        return registeredTrunkId != null;
    }

    /** A gateway whose host is looked up by its address records. */
    public Gateway(long id, long vendorAccountId, String name, String host, int port, String transport, String techPrefix,
                   int priority, int weight, boolean enabled, Integer maxCps, Integer maxConcurrentCalls,
                   List<Integer> failoverCodes) {
        this(id, vendorAccountId, name, host, port, transport, techPrefix, priority, weight, enabled, maxCps,
                maxConcurrentCalls, failoverCodes, null, null, null);
    }

    /** A gateway without caps and with the default failover codes. */
    public Gateway(long id, long vendorAccountId, String name, String host, int port, String transport, String techPrefix,
                   int priority, int weight, boolean enabled) {
        this(id, vendorAccountId, name, host, port, transport, techPrefix, priority, weight, enabled, null, null, null, null, null, null);
    }
}
