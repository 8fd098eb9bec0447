package io.tandem.console.security;

import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import io.tandem.console.node.TandemProperties;
import io.tandem.console.security.persistence.ApiKeyRepository;
import io.tandem.console.security.persistence.ConsoleUserRepository;
import io.tandem.console.ui.LoginView;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Three filter chains: the REST API ({@code /api/**}, stateless, {@code X-Api-Key}, JSON errors),
 * the actuator (health open for load balancers with details only for the signed-in; metrics open to
 * {@code tandem.metrics.allowed-sources} or an API key) and everything else (the Vaadin console
 * with a throttled login form). Every answer carries the headers of {@link #strictHeaders}.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    ApiKeys apiKeys(ApiKeyRepository repository, Clock clock, TandemProperties properties) {
        return new ApiKeys(repository, clock, properties.api().bootstrapKey());
    }

    @Bean
    ConsoleUserDetailsService consoleUserDetailsService(ConsoleUserRepository users) {
        return new ConsoleUserDetailsService(users);
    }

    @Bean
    LoginThrottle loginThrottle(Clock clock, TandemProperties properties) {
        return new LoginThrottle(clock, properties.login());
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeys apiKeys) throws Exception {
        String viewer = ApiRole.VIEWER.authority();
        String operator = ApiRole.OPERATOR.authority();
        String admin = ApiRole.ADMIN.authority();
        String peer = ApiRole.PEER.authority();
        String partner = ApiRole.PARTNER.authority();
        return http.securityMatcher("/api/**", "/v3/api-docs/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys, contextStrategy(http)), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/v3/api-docs/**").permitAll()
                        // a partner key reaches its own account's endpoints and nothing else
                        .requestMatchers("/api/v1/partner/**").hasAuthority(partner)
                        .requestMatchers("/api/v1/api-keys/**").hasAuthority(admin)
                        // only nodes (and admins) ship finished calls' captures to a capture node
                        .requestMatchers(HttpMethod.POST, "/api/v1/cluster/captures/**").hasAnyAuthority(admin, peer)
                        .requestMatchers("/api/v1/cluster/**", "/api/v1/calls/**").hasAnyAuthority(admin, operator, peer)
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyAuthority(admin, operator, viewer)
                        .anyRequest().hasAnyAuthority(admin, operator))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> json(response, HttpServletResponse.SC_UNAUTHORIZED,
                                "missing or invalid API key: send a valid key in the X-Api-Key header"))
                        .accessDeniedHandler((request, response, e) -> json(response, HttpServletResponse.SC_FORBIDDEN,
                                "this API key's role may not do that")))
                .headers(headers -> strictHeaders(headers, DOCUMENTS_ONLY_POLICY))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain actuatorSecurity(HttpSecurity http, ApiKeys apiKeys, TandemProperties properties) throws Exception {
        return http.securityMatcher("/actuator/**")
                // scrapes and probes must not each leave a session behind; a console session is still honoured
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys, contextStrategy(http)), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/**")
                        .access(MetricsScrapeAccess.fromSourcesOrSignedIn(properties.metrics().allowedSources()))
                        .anyRequest().authenticated())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> json(response, HttpServletResponse.SC_UNAUTHORIZED,
                                "metrics are open to tandem.metrics.allowed-sources; from elsewhere send a valid key in the X-Api-Key header")))
                .headers(headers -> strictHeaders(headers, DOCUMENTS_ONLY_POLICY))
                .build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain consoleSecurity(HttpSecurity http, ConsoleUserDetailsService users, PasswordEncoder passwordEncoder,
                                        LoginThrottle loginThrottle) throws Exception {
        DaoAuthenticationProvider passwordCheck = new DaoAuthenticationProvider(users);
        passwordCheck.setPasswordEncoder(passwordEncoder);
        // set here rather than as a bean, so no other provider stands behind the throttle as a parent
        http.authenticationManager(new ProviderManager(new ThrottledLoginAuthenticationProvider(passwordCheck, loginThrottle)));
        http.headers(headers -> {
            strictHeaders(headers, CONSOLE_POLICY);
            // no-store/Pragma: no-cache on the console's pages and UIDL, never on its static bundle: Chromium takes a
            // Pragma: no-cache as "revalidate every time" whatever Cache-Control says, so every page load asked again
            // for each of the bundle's ~20 scripts (docs/performance.md, Active calls first render)
            headers.cacheControl(cache -> cache.disable())
                    .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(STATIC_RESOURCES),
                            new CacheControlHeadersWriter()));
        });
        // the console's own stylesheet and the chart library are the same for everyone, signed in or not
        http.authorizeHttpRequests(auth -> auth.requestMatchers("/tandem.css", "/webjars/**").permitAll());
        return http.with(VaadinSecurityConfigurer.vaadin(), configurer -> configurer.loginView(LoginView.class)).build();
    }

    /** The strategy this application context's security filters use (Vaadin registers one), else the static one. */
    private static org.springframework.security.core.context.SecurityContextHolderStrategy contextStrategy(HttpSecurity http) {
        org.springframework.context.ApplicationContext context = http.getSharedObject(org.springframework.context.ApplicationContext.class);
        return context.getBeanProvider(org.springframework.security.core.context.SecurityContextHolderStrategy.class)
                .getIfAvailable(org.springframework.security.core.context.SecurityContextHolder::getContextHolderStrategy);
    }

    /**
     * What the console serves the same to everyone and names by version: Vaadin's bundle (content-hashed file names
     * under {@code /VAADIN/build/}, the push client under {@code /VAADIN/static/} with its hash as a parameter), the
     * Lumo and Tandem stylesheets (Vaadin adds the content hash as {@code ?v-c=}) and the chart library's webjar.
     */
    static final RequestMatcher STATIC_RESOURCES = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/VAADIN/build/**"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/VAADIN/static/**"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/lumo/**"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/tandem.css"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/webjars/**"));

    /** For JSON and metrics: nothing in them is ever to be loaded, run or framed by a browser. */
    static final String DOCUMENTS_ONLY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /**
     * For the console: only this origin's bundle. Vaadin Flow's client runs server-sent JavaScript
     * ({@code executeJs}, property bindings) through {@code new Function}, hence {@code 'unsafe-eval'};
     * its bootstrap page carries an inline script and its components set inline styles, hence
     * {@code 'unsafe-inline'} for scripts and styles (the initial UI state is inlined per request, so
     * hashes cannot work). Checked in headless Chromium against the production bundle: no violations
     * on the login page or the signed-in dashboard; without {@code 'unsafe-eval'} the dashboard never
     * renders, without either {@code 'unsafe-inline'} Chromium reports violations.
     */
    static final String CONSOLE_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /**
     * nosniff, no framing, no full URLs (they may carry account ids) in Referer to other sites.
     * Written before the request is handled: Vaadin's page bootstrap otherwise commits its own
     * {@code X-Frame-Options: SAMEORIGIN} first and the lazily written headers never appear.
     */
    private static void strictHeaders(HeadersConfigurer<HttpSecurity> headers, String contentSecurityPolicy) {
        headers.withObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                    @Override
                    public <F extends HeaderWriterFilter> F postProcess(F filter) {
                        filter.setShouldWriteHeadersEagerly(true);
                        return filter;
                    }
                })
                .contentTypeOptions(Customizer.withDefaults())
                .frameOptions(frame -> frame.deny())
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy));
    }

    private static void json(HttpServletResponse response, int status, String message) throws java.io.IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"" + message.replace("\"", "'") + "\"}");
    }
}
