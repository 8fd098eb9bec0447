package io.tandem.softswitch.capture;

import java.time.Duration;

/**
 * Bounds of the SIP capture (every cap drops the oldest first; see docs/capture.md).
 *
 * @param maxMessagesPerCall messages kept per call; a call that sends more keeps its newest
 * @param maxBytesPerCall    octets kept per call, uncompressed
 * @param maxLiveBytes       octets of all calls still in progress (and lingering), uncompressed
 * @param maxStoredBytes     compressed octets of finished calls kept by a capture node
 * @param retention          how long a finished call's capture is kept
 * @param linger             how long after a call ends its late messages (ACK and BYE retransmissions,
 *                           RFC 3261 §17 Timer J/K) are still added before it is compressed and stored
 * @param queueCapacity      messages waiting for the capture thread; more are dropped and counted,
 *                           never waited for on an event loop
 */
public record CaptureSettings(int maxMessagesPerCall, int maxBytesPerCall, long maxLiveBytes, long maxStoredBytes,
                              Duration retention, Duration linger, int queueCapacity) {

    /** Messages of a Call-ID no call has claimed yet, kept this long waiting for the call's event. */
    public static final Duration UNCLAIMED_WAIT = Duration.ofSeconds(4);
    /** Call-IDs waiting to be claimed at most (OPTIONS pings, refused strangers): more are dropped. */
    public static final int MAX_UNCLAIMED_CALL_IDS = 20_000;
    /** Messages kept per unclaimed Call-ID. */
    public static final int MAX_UNCLAIMED_MESSAGES = 8;

    public CaptureSettings {
        if (maxMessagesPerCall < 1 || maxBytesPerCall < 1 || maxLiveBytes < 1 || maxStoredBytes < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("capture caps must be positive");
        }
        if (retention.isNegative() || retention.isZero() || linger.isNegative()) {
            throw new IllegalArgumentException("capture retention must be positive and linger not negative");
        }
    }

    public static CaptureSettings defaults() {
        return new CaptureSettings(200, 256 * 1024, 64L * 1024 * 1024, 256L * 1024 * 1024, Duration.ofHours(24),
            Duration.ofSeconds(5), 65_536);
    }
}
