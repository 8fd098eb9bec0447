package io.tandem.billing.account;

import java.util.Locale;

/** Only {@link #ACTIVE} accounts may place or carry calls. */
public enum AccountStatus {
    ACTIVE, SUSPENDED, CLOSED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AccountStatus ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
