package io.tandem.softswitch.sip.protection;

import java.time.Duration;
import java.util.List;

/**
 * Per-source flood protection, in the spirit of Kamailio's pike module.
 *
 * @param enabled              off disables everything below
 * @param ratePerSecond        messages per second a source may send on average
 * @param burst                messages a source may send at once above the average
 * @param banDuration          how long a source that exceeds its bucket is dropped
 * @param allowList            addresses or CIDR blocks never limited or banned (load balancers, own peers)
 * @param dropScanners         drop requests whose User-Agent names a known scanner
 * @param scannerUserAgents    substrings (case-insensitive) of those User-Agents
 * @param maxTrackedSources    bound on remembered sources, so a spoofed flood cannot exhaust memory
 */
public record ProtectionConfig(boolean enabled, int ratePerSecond, int burst, Duration banDuration,
                               List<String> allowList, boolean dropScanners, List<String> scannerUserAgents,
                               int maxTrackedSources) {

    /** User agents of common SIP scanning tools. */
    public static final List<String> KNOWN_SCANNERS = List.of("friendly-scanner", "sipvicious", "sipcli", "sip-scan",
        "sipsak", "sundayddr", "iwar", "vaxsipuseragent", "pplsip", "smap", "cafe-sip");

    public ProtectionConfig {
        allowList = List.copyOf(allowList);
        scannerUserAgents = List.copyOf(scannerUserAgents);
        if (enabled && (ratePerSecond <= 0 || burst <= 0)) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
    }

    /**
     * 2,000 messages/s with bursts of 4,000 per source, 5-minute bans, scanners dropped, localhost
     * allowed. A call costs about four inbound messages (INVITE, ACK, BYE, a response), so this
     * admits a trunk at 500 CPS from one address; business limits belong to admission control.
     */
    public static ProtectionConfig defaults() {
        return new ProtectionConfig(true, 2_000, 4_000, Duration.ofMinutes(5), List.of("127.0.0.0/8", "::1/128"), true,
            KNOWN_SCANNERS, 100_000);
    }

    public static ProtectionConfig disabled() {
        return new ProtectionConfig(false, 1, 1, Duration.ZERO, List.of(), false, List.of(), 1);
    }
}
