package io.tandem.console.change;

import io.tandem.console.security.ApiRole;
import io.tandem.console.ui.ConsoleRole;
import java.util.List;
import java.util.stream.Stream;

/**
 * What an actor may do, checked by the application services on the server whoever calls them
 * (a view or the REST API). Each permission lists the console roles and the API key roles that
 * hold it, as Spring authorities.
 */
public enum Permission {

    /** Read trunks, gateways, routing. */
    READ_PROVISIONING(List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER),
            List.of(ApiRole.ADMIN, ApiRole.OPERATOR, ApiRole.VIEWER)),
    /** Create, edit, disable trunks, gateways, routing profiles, rules, blocked destinations; reset breakers. */
    CHANGE_PROVISIONING(List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR), List.of(ApiRole.ADMIN, ApiRole.OPERATOR)),
    /** Traffic and money reports. */
    READ_REPORTS(List.of(ConsoleRole.ADMIN, ConsoleRole.FINANCE, ConsoleRole.VIEWER),
            List.of(ApiRole.ADMIN, ApiRole.OPERATOR, ApiRole.VIEWER)),
    /** Console users and API keys. */
    MANAGE_ACCESS(List.of(ConsoleRole.ADMIN), List.of(ApiRole.ADMIN)),
    /** The audit log. */
    READ_AUDIT(List.of(ConsoleRole.ADMIN, ConsoleRole.FINANCE), List.of(ApiRole.ADMIN, ApiRole.OPERATOR, ApiRole.VIEWER));

    private final List<String> authorities;

    Permission(List<String> consoleRoles, List<ApiRole> apiRoles) {
        this.authorities = Stream.concat(consoleRoles.stream().map(role -> "ROLE_" + role), apiRoles.stream().map(ApiRole::authority))
                .toList();
    }

    /** The Spring authorities that hold this permission, e.g. {@code ROLE_OPERATOR}, {@code ROLE_API_OPERATOR}. */
    public List<String> authorities() {
        return authorities;
    }
}
