package io.tandem.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.console.node.TandemProperties;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/** Who may scrape /actuator/prometheus with the defaults an operator gets. */
class MetricsScrapeAccessTest {

    static final Supplier<Authentication> ANONYMOUS = () -> new AnonymousAuthenticationToken("key", "anonymousUser",
            AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
    static final Supplier<Authentication> VIEWER_KEY = () -> UsernamePasswordAuthenticationToken.authenticated(
            new ApiKeys.ApiPrincipal("grafana", ApiRole.VIEWER, 7L, null), null,
            AuthorityUtils.createAuthorityList(ApiRole.VIEWER.authority()));

    final AuthorizationManager<RequestAuthorizationContext> access = MetricsScrapeAccess.fromSourcesOrSignedIn(
            new Binder(new MapConfigurationPropertySource(Map.of("tandem.data-dir", "./data")))
                    .bindOrCreate("tandem", TandemProperties.class).metrics().allowedSources());

    @Test
    void aScraperOnTheNodeItselfNeedsNoKey() {
        assertThat(granted(ANONYMOUS, "127.0.0.1")).isTrue();
        assertThat(granted(ANONYMOUS, "0:0:0:0:0:0:0:1")).isTrue();
    }

    @Test
    void anyoneElseWithoutAKeyIsRefused() {
        assertThat(granted(ANONYMOUS, "203.0.113.5")).isFalse();
        assertThat(granted(ANONYMOUS, "10.0.0.1")).isFalse();
        assertThat(granted(ANONYMOUS, "2001:db8::1")).isFalse();
    }

    @Test
    void aValidKeyOfAnyRoleOpensItFromAnywhere() {
        assertThat(granted(VIEWER_KEY, "203.0.113.5")).isTrue();
    }

    @Test
    void aMistypedSourceStopsTheNodeNamingTheEntry() {
        assertThatThrownBy(() -> MetricsScrapeAccess.fromSourcesOrSignedIn(List.of("10.0.0.0/8", "10.0.0/33")))
                .hasMessageContaining("tandem.metrics.allowed-sources").hasMessageContaining("10.0.0/33");
    }

    private boolean granted(Supplier<Authentication> who, String remoteAddress) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/prometheus");
        request.setRemoteAddr(remoteAddress);
        return access.authorize(who, new RequestAuthorizationContext(request)).isGranted();
    }
}
