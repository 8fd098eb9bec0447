package io.tandem.billing.cdr;

import java.util.Locale;

/** Who ended the call: the customer's side, the vendor's side, or Tandem itself (timeout, no money, shutdown). */
public enum HangupSide {
    CALLER, CALLEE, SWITCH;

    /** The value stored in {@code cdr.hangup_side}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HangupSide ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
