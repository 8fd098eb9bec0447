package io.tandem.billing.account;

import java.util.Locale;

/** What an account does with us: buys minutes (customer), sells them (vendor), or both. */
public enum AccountKind {
    CUSTOMER, VENDOR, BOTH;

    /** The value stored in the database and used on the wire. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AccountKind ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    public boolean buys() {
        return this != VENDOR;
    }

    public boolean sells() {
        return this != CUSTOMER;
    }
}
