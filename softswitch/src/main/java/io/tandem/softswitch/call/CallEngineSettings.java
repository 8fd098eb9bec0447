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
 */
public record CallEngineSettings(
        String nodeId,
        Duration noTryingTimeout,
        Duration maxPostDialDelay,
        Duration extendBefore,
        boolean writeRejectedCdrs,
        Duration sessionMinSe,
        Duration sessionExpires) {

    public static CallEngineSettings defaults(String nodeId) {
        return new CallEngineSettings(nodeId, Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(20), true,
                Duration.ofSeconds(90), Duration.ofSeconds(1800));
    }

    public CallEngineSettings withSessionTimers(Duration minSe, Duration expires) {
        return new CallEngineSettings(nodeId, noTryingTimeout, maxPostDialDelay, extendBefore, writeRejectedCdrs, minSe,
                expires.compareTo(minSe) < 0 ? minSe : expires);
    }
}
