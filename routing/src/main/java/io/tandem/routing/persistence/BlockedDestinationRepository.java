package io.tandem.routing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.BLOCKED_DESTINATION;

import io.tandem.db.ConfigVersionStamp;
import io.tandem.db.jooq.tables.records.BlockedDestinationRecord;
import io.tandem.routing.trie.PrefixTrie;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Destinations a customer may never call (premium-rate ranges, fraud targets), by prefix. Every
 * write bumps the config version in its transaction, so routing on every node refuses them at once.
 */
public final class BlockedDestinationRepository {

    /** One blocked prefix of a customer. */
    public record BlockedDestination(long id, long accountId, String prefix, String reason, Instant createdAt) {
    }

    private final DSLContext dsl;
    private final Clock clock;

    public BlockedDestinationRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** The customer's blocked prefixes in prefix order; empty when there is no such account. */
    public Optional<List<BlockedDestination>> list(long accountId) {
        if (!dsl.fetchExists(ACCOUNT, ACCOUNT.ID.eq(accountId))) {
            return Optional.empty();
        }
        return Optional.of(dsl.selectFrom(BLOCKED_DESTINATION).where(BLOCKED_DESTINATION.ACCOUNT_ID.eq(accountId))
                .orderBy(BLOCKED_DESTINATION.PREFIX).fetch(BlockedDestinationRepository::toBlocked));
    }

    /** Field errors for a new blocked prefix of the account ({@code prefix}, {@code reason}). */
    public Map<String, String> validate(long accountId, String prefix, String reason) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (prefix == null || prefix.isEmpty()) {
            errors.put("prefix", "required: the dialled digits to refuse, e.g. \"4490\"");
        } else if (!PrefixTrie.isValidPrefix(prefix)) {
            errors.put("prefix", "digits only, at most " + PrefixTrie.MAX_PREFIX_LENGTH + " of them");
        } else if (dsl.fetchExists(BLOCKED_DESTINATION, BLOCKED_DESTINATION.ACCOUNT_ID.eq(accountId)
                .and(BLOCKED_DESTINATION.PREFIX.eq(prefix)))) {
            errors.put("prefix", "already blocked for this account");
        }
        if (reason != null && reason.length() > 255) {
            errors.put("reason", "at most 255 characters");
        }
        return errors;
    }

    public BlockedDestination add(long accountId, String prefix, String reason) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Instant now = clock.instant();
            BlockedDestinationRecord row = tx.newRecord(BLOCKED_DESTINATION);
            row.setAccountId(accountId);
            row.setPrefix(prefix);
            row.setReason(reason == null ? "" : reason);
            row.setCreatedAt(now);
            row.store();
            ConfigVersionStamp.bump(tx, now);
            return toBlocked(row);
        });
    }

    /** Unblocks one prefix of the account; false when there is no such entry. */
    public boolean delete(long accountId, long blockedId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int deleted = tx.deleteFrom(BLOCKED_DESTINATION).where(BLOCKED_DESTINATION.ID.eq(blockedId))
                    .and(BLOCKED_DESTINATION.ACCOUNT_ID.eq(accountId)).execute();
            if (deleted > 0) {
                ConfigVersionStamp.bump(tx, clock.instant());
            }
            return deleted > 0;
        });
    }

    private static BlockedDestination toBlocked(BlockedDestinationRecord r) {
        return new BlockedDestination(r.getId(), r.getAccountId(), r.getPrefix(), r.getReason(), r.getCreatedAt());
    }
}
