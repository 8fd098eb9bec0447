package io.tandem.softswitch.call;

import java.time.Duration;

/**
 * Settings of the call engine.
 *
 * @param nodeId            written in CDRs
 * @param noTryingTimeout   fail over when a vendor sends no provisional answer within this time
 * @param maxPostDialDelay  stop trying vendors after this long without an answer from any
 * @param extendBefore      ask billing for more money this long before the held money runs out
 * @param writeRejectedCdrs write a CDR for calls refused before any vendor was tried
 * @param sessionMinSe      the shortest session interval a customer may ask for (RFC 4028 Min-SE; shorter gets
 *                          {@code 422}); 90 s, the RFC's floor
 * @param sessionExpires    the session interval the switch asks for when a customer supports session timers
 *                          but names none
 * @param trustedProxies    CIDRs of SIP proxies (the load balancer) whose {@code X-Tandem-Source} names the customer
 * @param digestGuessLimits when a source answering digest challenges wrongly is slowed and banned
 */
public record CallEngineSettings(
        String nodeId,
        Duration noTryingTimeout,
        Duration maxPostDialDelay,
        Duration extendBefore,
        boolean writeRejectedCdrs,
        Duration sessionMinSe,
        Duration sessionExpires,
        java.util.List<String> trustedProxies,
        DigestGuessLimits digestGuessLimits) {

    public CallEngineSettings {
        trustedProxies = trustedProxies == null ? java.util.List.of() : java.util.List.copyOf(trustedProxies);
    }

    public static CallEngineSettings defaults(String nodeId) {
        return new CallEngineSettings(nodeId, Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(20), true,
                Duration.ofSeconds(90), Duration.ofSeconds(1800), java.util.List.of(), DigestGuessLimits.defaults());
    }

    public CallEngineSettings withSessionTimers(Duration minSe, Duration expires) {
        return new CallEngineSettings(nodeId, noTryingTimeout, maxPostDialDelay, extendBefore, writeRejectedCdrs, minSe,
                expires.compareTo(minSe) < 0 ? minSe : expires, trustedProxies, digestGuessLimits);
    }

    public CallEngineSettings withTrustedProxies(java.util.List<String> cidrs) {
        return new CallEngineSettings(nodeId, noTryingTimeout, maxPostDialDelay, extendBefore, writeRejectedCdrs, sessionMinSe,
                sessionExpires, cidrs, digestGuessLimits);
    }

    public CallEngineSettings withDigestGuessLimits(DigestGuessLimits limits) {
        return new CallEngineSettings(nodeId, noTryingTimeout, maxPostDialDelay, extendBefore, writeRejectedCdrs, sessionMinSe,
                sessionExpires, trustedProxies, limits);
    }
}
