package io.tandem.routing.provisioning;

import java.util.Locale;

/**
 * Whether a trunk's media is anchored on our RTP relay ({@code relay}), flows end to end
 * ({@code bypass}), or is anchored only when the customer's SDP names an address media could not
 * reach end to end: private, unroutable, or not the address its signalling came from ({@code auto}).
 */
public enum MediaMode {
    RELAY, BYPASS, AUTO;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MediaMode ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
