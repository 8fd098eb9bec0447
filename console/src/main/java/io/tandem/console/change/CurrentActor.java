package io.tandem.console.change;

import io.tandem.console.security.ApiKeys.ApiPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who is making the current change, whether through a console view or the REST API: the console
 * user's name or {@code api:<key name>}, the address the request came from, and whether their
 * roles allow a {@link Permission}. Read from the request thread's security context, which Spring
 * Security fills for Vaadin's requests and the API's alike.
 */
@Component
public class CurrentActor {

    /** The name the audit log records: the console user, or {@code api:<key name>}. */
    public String name() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return "anonymous";
        }
        if (authentication.getPrincipal() instanceof ApiPrincipal principal) {
            return "api:" + principal.name();
        }
        return authentication.getName();
    }

    /** True when the actor signed in to the console (not an API key). */
    public boolean isConsoleUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.isAuthenticated() && !(authentication.getPrincipal() instanceof ApiPrincipal)
                && !"anonymousUser".equals(authentication.getName());
    }

    /** The client's address, or "" outside a request. */
    public String sourceAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr() == null ? "" : request.getRemoteAddr();
        }
        return "";
    }

    public boolean may(Permission permission) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return false;
        }
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            if (permission.authorities().contains(authority.getAuthority())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses the current request unless the actor holds the permission: the REST API answers
     * 403, a view shows the refusal. Hidden buttons are a courtesy; this is the check.
     */
    public void require(Permission permission) {
        if (!may(permission)) {
            throw new AccessDeniedException(name() + " may not " + permission.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }
}
