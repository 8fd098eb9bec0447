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
 * @param dropScanners         drop requests whose User-Agent names a known scanner (never a ban: the header is spoofable)
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
     * For sources nobody provisioned: 8 messages/s with bursts of 16 (Kamailio pike's default of
     * 16 requests per 2 s), 5-minute bans, scanners dropped, localhost allowed. Enough for a PBX
     * or a stray caller (a call is about four inbound messages); a scan at tens to hundreds of
     * packets per second is cut off within its first seconds. Provisioned peers (trunk CIDRs,
     * vendor gateways, trusted proxies: {@link FloodGuard#trust}) are never limited, so a carrier
     * at thousands of calls per second is untouched; business limits belong to admission control.
     */
    public static ProtectionConfig defaults() {
        return new ProtectionConfig(true, DEFAULT_RATE_PER_SECOND, DEFAULT_BURST, Duration.ofMinutes(5),
            List.of("127.0.0.0/8", "::1/128"), true, KNOWN_SCANNERS, 100_000);
    }

    public static final int DEFAULT_RATE_PER_SECOND = 8;
    public static final int DEFAULT_BURST = 16;

    public ProtectionConfig withRate(int perSecond, int burstOf, Duration ban) {
        return new ProtectionConfig(enabled, perSecond, burstOf, ban, allowList, dropScanners, scannerUserAgents, maxTrackedSources);
    }

    public ProtectionConfig withAllowList(List<String> sources) {
        return new ProtectionConfig(enabled, ratePerSecond, burst, banDuration, sources, dropScanners, scannerUserAgents,
            maxTrackedSources);
    }

    public ProtectionConfig withDropScanners(boolean drop) {
        return new ProtectionConfig(enabled, ratePerSecond, burst, banDuration, allowList, drop, scannerUserAgents,
            maxTrackedSources);
    }

    public static ProtectionConfig disabled() {
        return new ProtectionConfig(false, 1, 1, Duration.ZERO, List.of(), false, List.of(), 1);
    }
}
