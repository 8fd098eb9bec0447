package io.tandem.billing.persistence;

import static io.tandem.db.jooq.Tables.CDR;

import io.tandem.billing.account.Money;
import io.tandem.billing.reconciliation.CallLeg;
import io.tandem.billing.reconciliation.OurCallSource;
import java.time.Instant;
import java.util.Iterator;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;

/**
 * Our side of a vendor reconciliation: the vendor's answered CDRs in connect-time order, streamed through one
 * cursor ({@value #FETCH_SIZE} rows per round trip on PostgreSQL, row by row on MySQL), never all in memory.
 * Seconds are the answered seconds ({@code billsec}); the amount is our buy cost.
 */
public final class VendorCallStream implements OurCallSource {

    static final int FETCH_SIZE = 5000;

    private final DSLContext dsl;

    public VendorCallStream(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public <R> R read(long vendorAccountId, Instant from, Instant until, Function<Iterator<CallLeg>, R> reader) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int fetchSize = tx.dialect().family() == SQLDialect.MYSQL || tx.dialect().family() == SQLDialect.MARIADB
                    ? Integer.MIN_VALUE : FETCH_SIZE;
            try (var cursor = tx.select(CDR.ANSWERED_AT, CDR.CALLER_OUT, CDR.CALLEE_OUT, CDR.BILLSEC, CDR.BUY_COST, CDR.CALL_UUID)
                    .from(CDR)
                    .where(CDR.VENDOR_ACCOUNT_ID.eq(vendorAccountId))
                    .and(CDR.ANSWERED_AT.ge(from)).and(CDR.ANSWERED_AT.lt(until))
                    .orderBy(CDR.ANSWERED_AT, CDR.ID)
                    .fetchSize(fetchSize)
                    .fetchLazy()) {
                Iterator<CallLeg> legs = new Iterator<>() {
                    private final Iterator<org.jooq.Record6<Instant, String, String, Integer, java.math.BigDecimal, String>> rows = cursor.iterator();

                    @Override
                    public boolean hasNext() {
                        return rows.hasNext();
                    }

                    @Override
                    public CallLeg next() {
                        var r = rows.next();
                        return new CallLeg(r.value1(), CallLeg.normalize(r.value2()), CallLeg.normalize(r.value3()), r.value4(),
                                Money.round(r.value5()), r.value6());
                    }
                };
                return reader.apply(legs);
            }
        });
    }
}
