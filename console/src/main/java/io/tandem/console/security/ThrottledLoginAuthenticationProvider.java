package io.tandem.console.security;

import org.springframework.context.support.MessageSourceAccessor;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.SpringSecurityMessageSource;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Console sign-in through {@link LoginThrottle}: a throttled user name or source is refused
 * before its password is looked at, with the very exception a wrong password gets, so the answer
 * tells a guesser neither that the throttle is on nor whether the user exists.
 */
public class ThrottledLoginAuthenticationProvider implements AuthenticationProvider {

    private final AuthenticationProvider passwordCheck;
    private final LoginThrottle throttle;
    private final MessageSourceAccessor messages = SpringSecurityMessageSource.getAccessor();

    public ThrottledLoginAuthenticationProvider(AuthenticationProvider passwordCheck, LoginThrottle throttle) {
        this.passwordCheck = passwordCheck;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        String username = attempt.getName();
        String source = attempt.getDetails() instanceof WebAuthenticationDetails web && web.getRemoteAddress() != null
                ? web.getRemoteAddress() : "unknown";
        if (throttle.refuses(username, source)) {
            throw new BadCredentialsException(messages.getMessage(
                    "AbstractUserDetailsAuthenticationProvider.badCredentials", "Bad credentials"));
        }
        try {
            Authentication signedIn = passwordCheck.authenticate(attempt);
            if (signedIn != null) {
                throttle.succeeded(username);
            }
            return signedIn;
        } catch (AuthenticationException e) {
            throttle.failed(username, source);
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return passwordCheck.supports(authentication);
    }
}
