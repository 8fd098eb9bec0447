package io.tandem.console.security;

import io.tandem.console.security.ApiKeys.ApiPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code /api/**} requests by their {@code X-Api-Key} header. Requests without a
 * valid key pass on unauthenticated and are answered 401 by the entry point.
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Api-Key";

    private final ApiKeys apiKeys;
    private final SecurityContextHolderStrategy contextStrategy;

    /**
     * @param contextStrategy where this application context's security filters read the caller (Vaadin installs
     *                        one per application context)
     */
    public ApiKeyAuthenticationFilter(ApiKeys apiKeys, SecurityContextHolderStrategy contextStrategy) {
        this.apiKeys = apiKeys;
        this.contextStrategy = contextStrategy;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<ApiPrincipal> principal = apiKeys.authenticate(request.getHeader(HEADER));
        if (principal.isPresent()) {
            var authentication = new UsernamePasswordAuthenticationToken(principal.get(), null,
                    List.of(new SimpleGrantedAuthority(principal.get().role().authority())));
            SecurityContext context = contextStrategy.createEmptyContext();
            context.setAuthentication(authentication);
            contextStrategy.setContext(context);
            // In a node the static holder is this same strategy. In a JVM holding several application contexts
            // (the tests) it is the newest context's, which is where controllers and services read the caller.
            if (SecurityContextHolder.getContextHolderStrategy() != contextStrategy) {
                SecurityContextHolder.setContext(context);
                try {
                    chain.doFilter(request, response);
                } finally {
                    SecurityContextHolder.clearContext();
                }
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
