package io.tandem.softswitch.sip.transaction;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the transaction layer behaves.
 *
 * @param timers                    T1, T2, T4
 * @param answerOptionsStatelessly  answer out-of-dialog OPTIONS with 200 without a transaction (load-balancer keep-alives)
 * @param allow                     the {@code Allow} value sent with those answers
 * @param accept                    the {@code Accept} value sent with those answers
 * @param supportedExtensions       option tags a {@code Require} may name without a 420 (any case)
 * @param warningAgent              the agent written into {@code Warning} headers (RFC 3261 §20.43)
 */
public record TransactionConfig(SipTimers timers, boolean answerOptionsStatelessly, String allow, String accept,
                                Set<String> supportedExtensions, String warningAgent) {

    public TransactionConfig {
        supportedExtensions = supportedExtensions.stream().map(t -> t.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    }

    /** RFC timers, OPTIONS answered, no extensions required of peers, agent {@code tandem}. */
    public static TransactionConfig defaults() {
        return new TransactionConfig(SipTimers.RFC_DEFAULTS, true, "INVITE, ACK, CANCEL, BYE, OPTIONS",
            "application/sdp", Set.of(), "tandem");
    }

    public TransactionConfig withTimers(SipTimers t) {
        return new TransactionConfig(t, answerOptionsStatelessly, allow, accept, supportedExtensions, warningAgent);
    }
}
