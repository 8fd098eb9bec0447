package io.tandem.console.security;

import io.tandem.console.security.persistence.ConsoleUserRepository;
import java.util.Locale;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** Console sign-in against the console_user table; roles become {@code ROLE_ADMIN} etc. */
public class ConsoleUserDetailsService implements UserDetailsService {

    private final ConsoleUserRepository users;

    public ConsoleUserDetailsService(ConsoleUserRepository users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        var user = users.findByUsername(username).orElseThrow(() -> new UsernameNotFoundException("no such console user"));
        return User.withUsername(user.username())
                .password(user.passwordHash())
                .disabled(!user.enabled())
                .roles(user.roles().stream().map(r -> r.toUpperCase(Locale.ROOT)).toArray(String[]::new))
                .build();
    }
}
