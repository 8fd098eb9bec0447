package io.tandem.console.security;

import java.util.Locale;

/**
 * What an API key may do. {@code viewer} reads; {@code operator} also provisions and moves money;
 * {@code admin} also manages API keys; {@code peer} is what cluster nodes present to each other; {@code partner} is a
 * customer's or vendor's own key, bound to its account and let into {@code /api/v1/partner/**} only.
 */
public enum ApiRole {
    ADMIN, OPERATOR, VIEWER, PEER, PARTNER;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ApiRole ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    /** The Spring Security authority, e.g. {@code ROLE_API_ADMIN}. */
    public String authority() {
        return "ROLE_API_" + name();
    }
}
