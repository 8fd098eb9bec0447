package io.tandem.routing;

import io.tandem.routing.normalize.NumberNormalizer;

/**
 * A customer's ingress trunk as routing needs it: its number normalization, the sell deck that
 * prices its calls and the routing profile that picks vendors (either may be null = not set).
 */
public record Trunk(
        long id,
        long accountId,
        String name,
        boolean enabled,
        NumberNormalizer normalizer,
        Long sellDeckId,
        Long routingProfileId) {
}
