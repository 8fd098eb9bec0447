package io.tandem.console.users;

import java.util.Set;

/** A console user to create: name, first password, and roles from {@link io.tandem.console.ui.ConsoleRole}. */
public record NewUser(String username, String password, Set<String> roles) {
}
