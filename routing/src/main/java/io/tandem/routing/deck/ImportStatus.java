package io.tandem.routing.deck;

import java.util.Locale;

/** Life of an upload: previewed, then committed; rejected when invalid or superseded. */
public enum ImportStatus {
    PREVIEWED,
    COMMITTED,
    /** The file was invalid, or a later import of the same deck was committed first. */
    REJECTED,
    FAILED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImportStatus ofCode(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT));
    }
}
