package io.tandem.routing.provisioning;

import java.util.Locale;

/** Transport to reach a gateway. */
public enum SipTransport {
    UDP, TCP, TLS;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SipTransport ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
