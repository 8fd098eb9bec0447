package io.tandem.routing;

/** A vendor's SIP gateway: where a B-leg INVITE goes. Lower priority is tried first. */
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
        boolean enabled) {
}
