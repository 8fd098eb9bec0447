package io.tandem.console.decks;

import java.util.Locale;

/**
 * What a commit does with price increases that take effect sooner than the deck's notice period (a customer must
 * be told of an increase that many days ahead; a vendor agreed to tell us as far ahead).
 *
 * <ul>
 *   <li>{@link #REFUSE}: nothing is committed; the answer names the increases (the default);</li>
 *   <li>{@link #PUSH}: those increases take effect at the end of the notice period, counted from the commit; the
 *       rest keeps its dates; the answer says how many moved and to when;</li>
 *   <li>{@link #ACCEPT}: committed as uploaded (an override, audited).</li>
 * </ul>
 */
public enum EarlyIncreases {
    REFUSE, PUSH, ACCEPT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Null when the text names none of them. */
    public static EarlyIncreases ofCode(String code) {
        for (EarlyIncreases value : values()) {
            if (value.code().equalsIgnoreCase(code == null ? "" : code.trim())) {
                return value;
            }
        }
        return null;
    }
}
