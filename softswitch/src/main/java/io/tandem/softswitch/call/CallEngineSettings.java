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
 */
public record CallEngineSettings(
        String nodeId,
        Duration noTryingTimeout,
        Duration maxPostDialDelay,
        Duration extendBefore,
        boolean writeRejectedCdrs) {

    public static CallEngineSettings defaults(String nodeId) {
        return new CallEngineSettings(nodeId, Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(20), true);
    }
}
