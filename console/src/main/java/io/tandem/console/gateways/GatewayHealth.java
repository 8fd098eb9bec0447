package io.tandem.console.gateways;

/**
 * A gateway's circuit breaker and call quality on this node, over the last attempts.
 *
 * @param breaker {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, or {@code NO_TRAFFIC} before the first attempt,
 *                or {@code SIP_DISABLED} on a node without SIP
 */
public record GatewayHealth(long gatewayId, String breaker, int attempts, double asrPercent, double acdSeconds, double pddMillis) {

    public static final String NO_TRAFFIC = "NO_TRAFFIC";
    public static final String SIP_DISABLED = "SIP_DISABLED";

    public boolean open() {
        return breaker.equals("OPEN") || breaker.equals("FORCED_OPEN");
    }
}
