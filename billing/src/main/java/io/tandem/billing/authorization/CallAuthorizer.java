package io.tandem.billing.authorization;

import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.rating.RateSnapshot;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What the call engine asks of billing, and nothing more: may a call start and for how long, may
 * it go on, and settle it. {@link BalanceAuthorizer} is the implementation; call-logic tests use a
 * hand-written fake.
 */
public interface CallAuthorizer {

    /** A decision without waiting (this node's lease can pay at once), or empty: ask {@link #authorize} on a worker. */
    Optional<Authorization> authorizeIfLeaseReady(UUID callUuid, long accountId, RateSnapshot rate);

    /** May this call start? May block on the database: never call it on an event loop. */
    Authorization authorize(UUID callUuid, long accountId, RateSnapshot rate);

    /** More money for a call about to reach its maximum duration; a rejection means: hang up at the old one. May block. */
    Authorization extend(Authorization.Granted grant);

    /** The call ended: charge it, give back the rest, write its CDRs. */
    CompletableFuture<Void> settle(Authorization.Granted grant, List<CdrRecord> attempts);

    /** The CDRs of a call refused before any money was held. */
    CompletableFuture<Void> settleUnauthorized(UUID callUuid, long accountId, List<CdrRecord> attempts);
}
