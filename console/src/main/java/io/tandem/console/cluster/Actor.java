package io.tandem.console.cluster;

import io.tandem.console.security.ApiKeys.ApiPrincipal;
import io.tandem.console.security.ApiRole;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who asks for a change that reaches the live cluster (a hang-up, a drain): a console user or an
 * API key, with the authorities Spring Security gave it. Services decide from it on the server;
 * views only hide buttons.
 *
 * @param name        as the audit log names it: the user name, or {@code api:<key name>}
 * @param authorities Spring authorities ({@code ROLE_OPERATOR}, {@code ROLE_API_ADMIN}, ...)
 * @param sourceIp    where the request came from, for the audit log
 */
public record Actor(String name, Set<String> authorities, String sourceIp) {

    /** Console roles and API key roles that may hang up calls and drain nodes. */
    private static final Set<String> OPERATING = Set.of("ROLE_ADMIN", "ROLE_OPERATOR", ApiRole.ADMIN.authority(),
            ApiRole.OPERATOR.authority());

    public Actor {
        authorities = Set.copyOf(authorities);
        sourceIp = sourceIp == null ? "" : sourceIp;
    }

    /** The signed-in user or API key of {@code authentication}; nobody (no authorities) for null. */
    public static Actor of(Authentication authentication, String sourceIp) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return new Actor("anonymous", Set.of(), sourceIp);
        }
        String name = authentication.getPrincipal() instanceof ApiPrincipal key ? "api:" + key.name() : authentication.getName();
        Set<String> authorities = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
        return new Actor(name, authorities, sourceIp);
    }

    /** May hang up calls and drain nodes: ADMIN or OPERATOR, as a console user or an API key. */
    public boolean mayOperate() {
        return authorities.stream().anyMatch(OPERATING::contains);
    }
}
