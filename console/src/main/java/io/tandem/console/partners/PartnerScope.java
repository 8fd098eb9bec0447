package io.tandem.console.partners;

import io.tandem.console.security.ApiKeys.ApiPrincipal;
import io.tandem.console.security.ApiRole;
import io.tandem.console.security.persistence.ConsoleUserRepository;
import io.tandem.console.service.Caller;
import io.tandem.console.ui.ConsoleRole;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who the current partner is and which account it is bound to: a partner API key carries its account; a partner
 * console user's account is read from its row at each request, so disabling the user or moving it takes effect
 * at once. Anyone else (no partner role, or a partner without an account) is no partner.
 */
public class PartnerScope {

    private final ConsoleUserRepository users;

    public PartnerScope(ConsoleUserRepository users) {
        this.users = users;
    }

    public Optional<PartnerCaller> current(String sourceIp) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            return Optional.empty();
        }
        Caller caller = Caller.current(sourceIp);
        if (authentication.getPrincipal() instanceof ApiPrincipal key) {
            return key.role() == ApiRole.PARTNER && key.accountId() != null
                    ? Optional.of(new PartnerCaller(caller, key.accountId())) : Optional.empty();
        }
        if (!caller.holdsAny(java.util.Set.of("ROLE_" + ConsoleRole.PARTNER))) {
            return Optional.empty();
        }
        return users.findByUsername(authentication.getName())
                .filter(ConsoleUserRepository.StoredUser::enabled)
                .filter(user -> user.accountId() != null)
                .map(user -> new PartnerCaller(caller, user.accountId()));
    }
}
