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
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Two filter chains: the REST API ({@code /api/**}, stateless, {@code X-Api-Key}, JSON errors)
 * and everything else (the Vaadin console with a login form; health and Prometheus stay open for
 * load balancers and scrapers).
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
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeys apiKeys) throws Exception {
        String viewer = ApiRole.VIEWER.authority();
        String operator = ApiRole.OPERATOR.authority();
        String admin = ApiRole.ADMIN.authority();
        String peer = ApiRole.PEER.authority();
        return http.securityMatcher("/api/**", "/v3/api-docs/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/v3/api-docs/**").permitAll()
                        .requestMatchers("/api/v1/api-keys/**").hasAuthority(admin)
                        .requestMatchers("/api/v1/cluster/**", "/api/v1/calls/**").hasAnyAuthority(admin, operator, peer)
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyAuthority(admin, operator, viewer)
                        .anyRequest().hasAnyAuthority(admin, operator))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> json(response, HttpServletResponse.SC_UNAUTHORIZED,
                                "missing or invalid API key: send a valid key in the X-Api-Key header"))
                        .accessDeniedHandler((request, response, e) -> json(response, HttpServletResponse.SC_FORBIDDEN,
                                "this API key's role may not do that")))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/actuator/info").permitAll());
        return http.with(VaadinSecurityConfigurer.vaadin(), configurer -> configurer.loginView(LoginView.class)).build();
    }

    private static void json(HttpServletResponse response, int status, String message) throws java.io.IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"" + message.replace("\"", "'") + "\"}");
    }
}
