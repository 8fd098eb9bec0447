package io.tandem.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tandem.console.node.TandemProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Console sign-in as an operator and a guesser see it, on a clock moved by hand. */
class ThrottledLoginTest {

    static final String ALICES_ADDRESS = "192.0.2.10";
    static final String GUESSERS_ADDRESS = "198.51.100.66";

    final HandMovedClock clock = new HandMovedClock();
    final TandemProperties.Login defaults = defaultLoginSettings();
    final ThrottledLoginAuthenticationProvider signIn = new ThrottledLoginAuthenticationProvider(
            passwordCheck(), new LoginThrottle(clock, defaults));

    @Test
    void theDocumentedDefaultsAreFiveFailuresPerUserAndTwentyPerSourceIn15Minutes() {
        assertThat(defaults.maxFailuresPerUser()).isEqualTo(5);
        assertThat(defaults.maxFailuresPerSource()).isEqualTo(20);
        assertThat(defaults.window()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void afterFiveWrongPasswordsTheRightOneIsRefusedWithTheWrongPasswordsMessage() {
        Throwable wrongPassword = null;
        for (int i = 0; i < 5; i++) {
            wrongPassword = catchThrowable(() -> signIn.authenticate(attempt("admin", "guess", GUESSERS_ADDRESS)));
        }

        Throwable rightPassword = catchThrowable(() -> signIn.authenticate(attempt("admin", "right-password", GUESSERS_ADDRESS)));

        assertThat(wrongPassword).isInstanceOf(BadCredentialsException.class);
        assertThat(rightPassword).isInstanceOf(BadCredentialsException.class).hasMessage(wrongPassword.getMessage());
    }

    @Test
    void anotherUserFromAnotherSourceIsUnaffected() {
        for (int i = 0; i < 5; i++) {
            catchThrowable(() -> signIn.authenticate(attempt("admin", "guess", GUESSERS_ADDRESS)));
        }

        Authentication alice = signIn.authenticate(attempt("alice", "alices-password", ALICES_ADDRESS));

        assertThat(alice.isAuthenticated()).isTrue();
    }

    @Test
    void theRefusalEndsWithTheWindowThatBeganAtTheFirstFailure() {
        for (int i = 0; i < 5; i++) {
            catchThrowable(() -> signIn.authenticate(attempt("admin", "guess", GUESSERS_ADDRESS)));
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertThatThrownBy(() -> signIn.authenticate(attempt("admin", "right-password", ALICES_ADDRESS)))
                .isInstanceOf(BadCredentialsException.class);

        clock.advance(Duration.ofSeconds(1));

        assertThat(signIn.authenticate(attempt("admin", "right-password", ALICES_ADDRESS)).isAuthenticated()).isTrue();
    }

    @Test
    void twentyFailuresFromOneSourceRefuseEveryUserFromItButNotFromElsewhere() {
        for (int i = 0; i < 20; i++) {
            String guessedUser = "user" + i;
            catchThrowable(() -> signIn.authenticate(attempt(guessedUser, "guess", GUESSERS_ADDRESS)));
        }

        assertThatThrownBy(() -> signIn.authenticate(attempt("alice", "alices-password", GUESSERS_ADDRESS)))
                .isInstanceOf(BadCredentialsException.class);
        assertThat(signIn.authenticate(attempt("alice", "alices-password", ALICES_ADDRESS)).isAuthenticated()).isTrue();
    }

    @Test
    void aSuccessfulSignInStartsTheUsersCountAfresh() {
        for (int i = 0; i < 4; i++) {
            catchThrowable(() -> signIn.authenticate(attempt("alice", "typo", ALICES_ADDRESS)));
        }
        signIn.authenticate(attempt("alice", "alices-password", ALICES_ADDRESS));
        for (int i = 0; i < 4; i++) {
            catchThrowable(() -> signIn.authenticate(attempt("alice", "typo", ALICES_ADDRESS)));
        }

        assertThat(signIn.authenticate(attempt("alice", "alices-password", ALICES_ADDRESS)).isAuthenticated()).isTrue();
    }

    private static Authentication attempt(String username, String password, String source) {
        var attempt = UsernamePasswordAuthenticationToken.unauthenticated(username, password);
        attempt.setDetails(new WebAuthenticationDetails(source, null));
        return attempt;
    }

    private static DaoAuthenticationProvider passwordCheck() {
        var users = new InMemoryUserDetailsManager(
                User.withUsername("admin").password("{noop}right-password").roles("ADMIN").build(),
                User.withUsername("alice").password("{noop}alices-password").roles("VIEWER").build());
        return new DaoAuthenticationProvider(users);
    }

    /** The defaults an operator gets with no {@code tandem.login.*} set. */
    static TandemProperties.Login defaultLoginSettings() {
        return new Binder(new MapConfigurationPropertySource(Map.of("tandem.data-dir", "./data")))
                .bindOrCreate("tandem", TandemProperties.class).login();
    }

    static final class HandMovedClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
