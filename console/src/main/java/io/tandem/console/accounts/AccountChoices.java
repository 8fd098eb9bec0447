package io.tandem.console.accounts;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.billing.persistence.AccountRepository;
import io.tandem.console.change.CurrentActor;
import io.tandem.console.change.Permission;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts a provisioning editor may pick from, as the operator types (name, any case, paged on the server), and
 * the names of the accounts a page of rows shows: shared by the trunk and the gateway services, each asking for its
 * kind. Every call checks that the actor may read provisioning.
 */
public final class AccountChoices {
    private static final int MAX_PAGE = 1000;
    private final AccountRepository accounts;
    private final CurrentActor actor;

    public AccountChoices(AccountRepository accounts, CurrentActor actor) {
        this.accounts = accounts;
        this.actor = actor;
    }

    /** One page, by name, of the accounts of {@code kind} (and {@code both}) whose name contains {@code text} (blank = all). */
    public List<Account> search(AccountKind kind, String text, int offset, int limit) {
        actor.require(Permission.READ_PROVISIONING);
        return accounts.search(AccountSearch.textOf(text), kind, Math.max(0, offset), Math.clamp(limit, 1, MAX_PAGE));
    }

    public int count(AccountKind kind, String text) {
        actor.require(Permission.READ_PROVISIONING);
        return accounts.count(AccountSearch.textOf(text), kind);
    }

    /** One account, to show it in an editor. */
    public Optional<Account> find(long id) {
        actor.require(Permission.READ_PROVISIONING);
        return accounts.find(id);
    }

    /** Names of these accounts: the labels of one page of rows. */
    public Map<Long, String> names(Collection<Long> ids) {
        actor.require(Permission.READ_PROVISIONING);
        return accounts.names(ids);
    }
}
