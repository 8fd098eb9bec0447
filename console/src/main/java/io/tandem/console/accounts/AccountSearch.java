package io.tandem.console.accounts;

import io.tandem.billing.account.AccountKind;

/** Which accounts a list shows: names containing {@code text} (any case; blank = all) of {@code kind} (null = all). */
public record AccountSearch(String text, AccountKind kind) {

    public static final int MAX_TEXT = 128;

    public static final AccountSearch ALL = new AccountSearch("", null);

    public AccountSearch {
        text = textOf(text);
    }

    /** What a user typed, as searched: stripped, null as empty, cut to {@link #MAX_TEXT}. */
    public static String textOf(String typed) {
        String text = typed == null ? "" : typed.strip();
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }
}
