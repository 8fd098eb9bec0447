package io.tandem.billing.account;

import java.util.Locale;

/** Why a balance changed. */
public enum LedgerEntryKind {
    /** The balance an account was created with. */
    OPENING,
    /** Money paid in. */
    TOPUP,
    /** An operator's correction, either sign. */
    ADJUSTMENT,
    /** A settled call. */
    CALL,
    /** A correction after re-pricing calls with newer decks. */
    RERATE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LedgerEntryKind ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
