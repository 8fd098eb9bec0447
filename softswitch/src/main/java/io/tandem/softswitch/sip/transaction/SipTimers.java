package io.tandem.softswitch.sip.transaction;

import java.time.Duration;

/**
 * The RFC 3261 §17 base timers. Every transaction timer derives from them:
 * A, E, G start at T1 and double up to T2; B, F, H, J, L, M are 64·T1; D is 32 s;
 * I and K are T4. Over reliable transports A, E, G are not used and D, I, J, K are zero.
 *
 * @param t1 round-trip estimate, default 500 ms
 * @param t2 longest retransmit interval for non-INVITE requests and INVITE responses, default 4 s
 * @param t4 longest time a message stays in the network, default 5 s
 */
public record SipTimers(Duration t1, Duration t2, Duration t4) {

    public static final SipTimers RFC_DEFAULTS = new SipTimers(Duration.ofMillis(500), Duration.ofSeconds(4),
        Duration.ofSeconds(5));

    public SipTimers {
        if (t1.isNegative() || t1.isZero() || t2.compareTo(t1) < 0 || t4.isNegative()) {
            throw new IllegalArgumentException("need 0 < T1 <= T2 and T4 >= 0");
        }
    }

    long t1Millis() {
        return t1.toMillis();
    }

    long t2Millis() {
        return t2.toMillis();
    }

    long t4Millis() {
        return t4.toMillis();
    }

    /** Timers B, F, H, J, L, M. */
    long timeoutMillis() {
        return 64 * t1.toMillis();
    }

    /** Timer D for unreliable transports (RFC 3261 §17.1.1.2: at least 32 s). */
    long timerDMillis() {
        return Math.max(32_000, timeoutMillis());
    }
}
