package io.tandem.console.accounts;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.Money;

/**
 * An account as a user states it, for create and update: money fields are decimal strings ("12.50"), so a
 * badly typed amount comes back as a field message instead of a parse failure. {@code openingBalance} only
 * when creating. {@code noticeDays}: the account's own notice period for rate increases (0-365), null = its deck's.
 */
public record AccountRequest(String name, String kind, String currency, String creditLimit, String status, Integer maxCps,
                             Integer maxConcurrentCalls, String dailySpendLimit, String lowBalanceThreshold,
                             Boolean suspendAtZero, String openingBalance, Integer noticeDays) {

    /** The account as a request would state it: what an edit starts from. */
    public static AccountRequest of(Account a) {
        return new AccountRequest(a.name(), a.kind().code(), a.currency(), Money.format(a.creditLimit()), a.status().code(), a.maxCps(),
                a.maxConcurrentCalls(), Money.format(a.dailySpendLimit()), Money.format(a.lowBalanceThreshold()), a.suspendAtZero(), null,
                a.noticeDays());
    }

    /**
     * What an update changed, field by field with the value before and after ("; creditLimit 0.000000 -> 5.000000"),
     * for the audit log: money-relevant settings (limits, status, currency) are read back from it.
     */
    static String changes(AccountRequest before, AccountRequest after) {
        StringBuilder changed = new StringBuilder();
        for (java.lang.reflect.RecordComponent component : AccountRequest.class.getRecordComponents()) {
            try {
                Object was = component.getAccessor().invoke(before);
                Object now = component.getAccessor().invoke(after);
                if (!java.util.Objects.equals(was, now)) {
                    changed.append("; ").append(component.getName()).append(' ').append(was).append(" -> ").append(now);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName() + " of an account request", e);
            }
        }
        return changed.toString();
    }
}
