package io.tandem.routing;

import java.util.Locale;

/** Whether a deck holds a customer's sell prices or a vendor's buy prices. */
public enum DeckDirection {
    SELL,
    BUY;

    /** The value stored in {@code rate_deck.direction}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeckDirection ofCode(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT));
    }
}
