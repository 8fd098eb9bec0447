package io.tandem.console.service;

import io.tandem.console.security.ApiKeys.ApiPrincipal;
import io.tandem.console.security.ApiRole;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who asks an application service to do something: a console user (authorities {@code ROLE_ADMIN},
 * {@code ROLE_FINANCE}, ...) or an API key ({@code ROLE_API_OPERATOR}, ...), with the name the audit log
 * and the ledger record ({@code alice}, {@code api:billing-script}) and the address the request came from.
 * Services take it as an argument so that a view's background task, which has no security context of its
 * own, still acts as the user who clicked.
 */
public record Caller(String name, String sourceIp, Set<String> authorities) {

    public Caller {
        authorities = Set.copyOf(authorities);
        sourceIp = sourceIp == null ? "" : sourceIp;
    }

    /** The caller of the current request thread (servlet or Vaadin); anonymous when nobody signed in. */
    public static Caller current(String sourceIp) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            return new Caller("anonymous", sourceIp, Set.of());
        }
        String name = authentication.getPrincipal() instanceof ApiPrincipal principal ? "api:" + principal.name() : authentication.getName();
        return new Caller(name, sourceIp, authorities(authentication.getAuthorities()));
    }

    private static Set<String> authorities(Collection<? extends GrantedAuthority> granted) {
        return granted.stream().map(GrantedAuthority::getAuthority).collect(Collectors.toUnmodifiableSet());
    }

    /** Whether the caller holds one of these authorities. */
    public boolean holdsAny(Set<String> allowed) {
        return authorities.stream().anyMatch(allowed::contains);
    }

    /**
     * Refuses, on the server, what the caller's role may not do. Spring Security turns the exception into
     * {@code 403} for the API; views show its message.
     */
    public void require(Set<String> allowed, String what) {
        if (!holdsAny(allowed)) {
            throw new AccessDeniedException(name + " may not " + what);
        }
    }

    /** Console roles (as {@code ConsoleRole} names them) and API key roles, as Spring authorities. */
    public static Set<String> authorities(Set<String> consoleRoles, Set<ApiRole> apiRoles) {
        return java.util.stream.Stream.concat(consoleRoles.stream().map(role -> "ROLE_" + role), apiRoles.stream().map(ApiRole::authority))
                .collect(Collectors.toUnmodifiableSet());
    }
}
