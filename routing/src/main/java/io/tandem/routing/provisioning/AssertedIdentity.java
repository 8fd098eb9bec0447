package io.tandem.routing.provisioning;

import java.util.Locale;

/**
 * What a trunk's calls carry to vendors as {@code P-Asserted-Identity} (RFC 3325): the
 * customer's own, none, or one the switch asserts from the translated caller number.
 */
public enum AssertedIdentity {
    /** Relay the customer's P-Asserted-Identity unchanged: the customer is in our trust domain. */
    PASS,
    /** Send none: the customer is outside our trust domain, what it asserts is not passed on. */
    STRIP,
    /** Assert the caller number (after the trunk's translation rules) ourselves. */
    CALLER;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AssertedIdentity ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
