package io.tandem.routing.deck;

import java.util.Locale;

/** Carrier semantics of an uploaded deck. */
public enum ImportMode {
    /** The file is the whole deck: codes missing from it are closed at the effective date. */
    FULL,
    /** Only the listed codes change; rows with action delete close their code. */
    UPDATE;

    /** The value stored in {@code deck_import.import_mode}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImportMode ofCode(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT));
    }
}
