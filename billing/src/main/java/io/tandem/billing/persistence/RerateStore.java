package io.tandem.billing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CDR;
import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;

import io.tandem.billing.account.LedgerEntryKind;
import io.tandem.billing.account.LedgerPosting;
import io.tandem.billing.account.Money;
import io.tandem.billing.rerating.RerateAdjustments;
import io.tandem.billing.rerating.RerateLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Writes a re-rating: per customer, one transaction updates the CDRs (guarded on the old price,
 * so a CDR re-priced since the preview is left alone) and posts the difference through
 * {@link AccountLedger} as one {@code rerate} entry, so the balance still equals its ledger.
 */
public final class RerateStore implements RerateAdjustments {

    private final DSLContext dsl;
    private final AccountLedger ledger;

    public RerateStore(DSLContext dsl, AccountLedger ledger) {
        this.dsl = dsl;
        this.ledger = ledger;
    }

    @Override
    public List<RerateLine> apply(long customerAccountId, List<RerateLine> lines, String idempotencyKey, String actor) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.ID.eq(customerAccountId)).forUpdate().fetch();
            if (tx.fetchExists(LEDGER_ENTRY, LEDGER_ENTRY.IDEMPOTENCY_KEY.eq(idempotencyKey))) {
                return List.of();
            }
            List<RerateLine> done = new ArrayList<>();
            BigDecimal delta = Money.ZERO;
            for (RerateLine line : lines) {
                int updated = tx.update(CDR)
                        .set(CDR.SELL_PREFIX, line.newRate().prefix())
                        .set(CDR.SELL_RATE, line.newRate().ratePerMinute())
                        .set(CDR.SELL_CONNECT_FEE, line.newRate().connectFee())
                        .set(CDR.SELL_INITIAL, line.newRate().initialIncrement())
                        .set(CDR.SELL_NEXT, line.newRate().nextIncrement())
                        .set(CDR.SELL_COST, line.newSellCost())
                        .set(CDR.MARGIN, line.newSellCost().subtract(line.buyCost()))
                        .where(CDR.CALL_UUID.eq(line.callUuid().toString()))
                        .and(CDR.ATTEMPT.eq((short) line.attempt()))
                        .and(CDR.CUSTOMER_ACCOUNT_ID.eq(customerAccountId))
                        .and(CDR.SELL_COST.eq(line.oldSellCost()))
                        .execute();
                if (updated == 1) {
                    done.add(line);
                    delta = delta.add(line.delta());
                }
            }
            if (delta.signum() != 0) {
                ledger.post(tx, new LedgerPosting(customerAccountId, LedgerEntryKind.RERATE, delta.negate(),
                        "re-rated " + done.size() + " calls", actor, idempotencyKey, null));
            }
            return done;
        });
    }
}
