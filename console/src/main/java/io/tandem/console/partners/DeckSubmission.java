package io.tandem.console.partners;

import java.time.Instant;

/**
 * A vendor's own buy deck upload on its way in. {@code earlyIncreases} counts the increases that take effect sooner
 * than the deck's notice period; {@code overridden} says an operator approved them anyway; {@code reason} is what
 * the operator told the vendor.
 */
public record DeckSubmission(long id, long accountId, long deckId, long importId, Status status, int earlyIncreases,
                             String submittedBy, Instant submittedAt, String decidedBy, Instant decidedAt, String reason,
                             boolean overridden) {

    /** uploaded (previewed, not submitted) → pending (waiting for an operator) → applied or rejected; or withdrawn. */
    public enum Status {
        UPLOADED, PENDING, APPLIED, REJECTED, WITHDRAWN;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Status ofCode(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
