package io.tandem.softswitch.sip;

/**
 * A snapshot of the stack's counters, for metrics and the console.
 *
 * @param decoded                  messages decoded
 * @param malformed                inputs that failed to decode
 * @param malformedAnswered        of those, answered (400/505/513)
 * @param malformedDropped         of those, dropped (not identifiable as a request)
 * @param keepAlives               CRLF keep-alives seen
 * @param serverTransactions       server transactions created
 * @param clientTransactions       client transactions created
 * @param retransmissionsAbsorbed  retransmissions absorbed by transactions
 * @param strayResponses           responses matching no transaction
 * @param statelessOptions         OPTIONS answered without a transaction
 * @param rejectedByStack          requests the stack answered itself (416, 420, 481, 482, 483)
 * @param timeouts                 transactions that timed out
 * @param transportErrors          sends that failed
 * @param floodPassed              messages that passed flood protection
 * @param floodDropped             messages dropped for a banned source
 * @param bans                     bans issued
 * @param scannersDropped          requests dropped for a scanner User-Agent
 * @param connectionsRefused       TCP/TLS connections closed for the per-IP cap
 * @param liveTransactions         transactions alive now
 */
public record SipStackStats(long decoded, long malformed, long malformedAnswered, long malformedDropped,
                            long keepAlives, long serverTransactions, long clientTransactions,
                            long retransmissionsAbsorbed, long strayResponses, long statelessOptions,
                            long rejectedByStack, long timeouts, long transportErrors, long floodPassed,
                            long floodDropped, long bans, long scannersDropped, long connectionsRefused,
                            int liveTransactions) {
}
