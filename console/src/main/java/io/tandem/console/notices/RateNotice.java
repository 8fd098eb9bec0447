package io.tandem.console.notices;

import java.time.Instant;

/**
 * A rate-change notice: what changed in one sell deck for one customer account, with counts per kind, the
 * earliest date a change takes effect, where it was mailed and what became of the mail.
 */
public record RateNotice(long id, long accountId, long deckId, Long importId, Instant createdAt, Instant firstEffective,
                         int increased, int decreased, int added, int closed, String recipients, Instant mailedAt, String mailError) {
}
