package io.tandem.routing.provisioning;

import java.util.Locale;

/** Whether a trunk's media is anchored on our RTP relay or flows end to end. */
public enum MediaMode {
    RELAY, BYPASS;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MediaMode ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
