package io.tandem.console.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.web.access.IpAddressAuthorizationManager;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Who may read {@code /actuator/prometheus} and {@code /actuator/metrics}: a source inside
 * {@code tandem.metrics.allowed-sources}, or anyone signed in (an {@code X-Api-Key} of any role, or a
 * console session). The metrics carry per-vendor traffic and spend, which a competitor would like.
 */
public final class MetricsScrapeAccess {

    private MetricsScrapeAccess() {
    }

    /** Throws naming the entry when one is not an address or CIDR, so a typo stops the node at start. */
    public static AuthorizationManager<RequestAuthorizationContext> fromSourcesOrSignedIn(List<String> allowedSources) {
        List<AuthorizationManager<RequestAuthorizationContext>> anyOf = new ArrayList<>();
        for (String cidr : allowedSources) {
            try {
                anyOf.add(IpAddressAuthorizationManager.hasIpAddress(cidr.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tandem.metrics.allowed-sources: '" + cidr + "' is not an address or CIDR", e);
            }
        }
        anyOf.add(AuthenticatedAuthorizationManager.authenticated());
        @SuppressWarnings("unchecked")
        AuthorizationManager<RequestAuthorizationContext>[] managers = anyOf.toArray(AuthorizationManager[]::new);
        return AuthorizationManagers.anyOf(managers);
    }
}
