package io.tandem.billing.account;

/** The outcome of replacing an account's editable fields. Expected refusals are values, not exceptions. */
public sealed interface AccountUpdate {

    record Updated(Account account) implements AccountUpdate {
    }

    /** No such account. */
    record UnknownAccount(long accountId) implements AccountUpdate {
    }

    /**
     * The currency may not change now: the balance, the money held for live calls and the rate
     * decks are all amounts in the old currency, and no rate converts them. Nothing changed.
     */
    record CurrencyLocked(String reason) implements AccountUpdate {
    }
}
