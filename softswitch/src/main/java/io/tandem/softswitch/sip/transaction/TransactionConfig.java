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
 * @param maxServerTransactions     live server transactions at most; a new request beyond gets a stateless
 *                                  {@code 503} with {@code Retry-After}
 * @param maxServerTransactionsPerSource live server transactions one source address may hold (provisioned
 *                                  peers exempt, {@link TransactionLayer#exemptFromSourceLimit})
 */
public record TransactionConfig(SipTimers timers, boolean answerOptionsStatelessly, String allow, String accept,
                                Set<String> supportedExtensions, String warningAgent, int maxServerTransactions,
                                int maxServerTransactionsPerSource) {

    /**
     * 200,000 live server transactions (about 50 s of 4,000 calls/s: each lives up to 32 s after its
     * answer) and 200 per unprovisioned source (a PBX with a few dozen calls in flight and their
     * retransmission windows).
     */
    public static final int DEFAULT_MAX_SERVER_TRANSACTIONS = 200_000;
    public static final int DEFAULT_MAX_SERVER_TRANSACTIONS_PER_SOURCE = 200;

    public TransactionConfig {
        supportedExtensions = supportedExtensions.stream().map(t -> t.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    }

    /** RFC timers, OPTIONS answered, no extensions required of peers, agent {@code tandem}. */
    public static TransactionConfig defaults() {
        return new TransactionConfig(SipTimers.RFC_DEFAULTS, true, "INVITE, ACK, CANCEL, BYE, OPTIONS",
            "application/sdp", Set.of(), "tandem", DEFAULT_MAX_SERVER_TRANSACTIONS, DEFAULT_MAX_SERVER_TRANSACTIONS_PER_SOURCE);
    }

    public TransactionConfig withTimers(SipTimers t) {
        return new TransactionConfig(t, answerOptionsStatelessly, allow, accept, supportedExtensions, warningAgent,
            maxServerTransactions, maxServerTransactionsPerSource);
    }

    public TransactionConfig withServerTransactionLimits(int max, int perSource) {
        return new TransactionConfig(timers, answerOptionsStatelessly, allow, accept, supportedExtensions, warningAgent,
            max, perSource);
    }
}
