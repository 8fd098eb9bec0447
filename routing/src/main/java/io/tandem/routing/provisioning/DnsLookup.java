package io.tandem.routing.provisioning;

import java.util.Locale;

/**
 * How a vendor gateway's host is found (RFC 3263 §4): its address records only, SRV records for
 * its transport, or NAPTR choosing the transport first. See {@code docs/configuration.md}.
 */
public enum DnsLookup {
    /** A/AAAA of the host; the configured port and transport. */
    ADDRESS,
    /** SRV for the configured transport; the configured port only when there is no SRV record. */
    SRV,
    /** NAPTR, then SRV, then A/AAAA; the configured transport and port only when DNS names none. */
    NAPTR;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DnsLookup ofCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
