package io.tandem.console.api;

import io.tandem.console.security.ApiKeys.ApiPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The name of whoever made the current API request, for the audit log and ledger entries. */
public final class ApiCaller {

    private ApiCaller() {
    }

    /** Whether the caller is another node of the cluster (a key with the {@code peer} role). */
    public static boolean isPeer() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof ApiPrincipal principal
                && principal.role() == io.tandem.console.security.ApiRole.PEER;
    }

    public static String name() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return "anonymous";
        }
        if (authentication.getPrincipal() instanceof ApiPrincipal principal) {
            return "api:" + principal.name();
        }
        return authentication.getName();
    }
}
