package io.tandem.console.dashboard.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CDR;
import static io.tandem.db.jooq.Tables.VENDOR_GATEWAY;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * The dashboard's SQL: today's top accounts, accounts under their low-balance threshold, gateway
 * names. Aggregates run in the database over the CDRs of the period (the {@code ix_cdr_started}
 * range), never in Java memory.
 */
@Repository
public class DashboardQueries {

    /**
     * One account's traffic in a period.
     *
     * @param billedSeconds answered seconds (minutes = billedSeconds / 60)
     * @param money         what it paid us (customers) or we paid it (vendors), in {@code currency}
     * @param margin        sell minus buy on its calls, in {@code currency}
     */
    public record AccountTraffic(long accountId, String name, String currency, long attempts, long answered, long billedSeconds,
                                 BigDecimal money, BigDecimal margin) {
    }

    /** An account whose balance less held money is under its low-balance threshold. */
    public record LowBalance(long accountId, String name, String currency, BigDecimal balance, BigDecimal held,
                             BigDecimal threshold) {
    }

    private final DSLContext dsl;

    public DashboardQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Customers with the most answered minutes since {@code from}. */
    public List<AccountTraffic> topCustomers(Instant from, int limit) {
        return top(CDR.CUSTOMER_ACCOUNT_ID, CDR.SELL_COST, from, limit);
    }

    /** Vendors with the most answered minutes since {@code from}. */
    public List<AccountTraffic> topVendors(Instant from, int limit) {
        return top(CDR.VENDOR_ACCOUNT_ID, CDR.BUY_COST, from, limit);
    }

    private List<AccountTraffic> top(Field<Long> account, Field<BigDecimal> money, Instant from, int limit) {
        Field<Integer> answered = DSL.sum(DSL.when(CDR.ANSWERED_AT.isNotNull(), DSL.inline(1)).otherwise(DSL.inline(0))).cast(Integer.class);
        Field<Long> seconds = DSL.sum(CDR.BILLSEC).cast(Long.class);
        return dsl.select(account, ACCOUNT.NAME, CDR.CURRENCY, DSL.count(), answered, seconds, DSL.sum(money), DSL.sum(CDR.MARGIN))
                .from(CDR)
                .join(ACCOUNT).on(ACCOUNT.ID.eq(account))
                .where(CDR.STARTED_AT.ge(from))
                .groupBy(account, ACCOUNT.NAME, CDR.CURRENCY)
                .orderBy(seconds.desc(), DSL.sum(CDR.MARGIN).desc())
                .limit(limit)
                .fetch(row -> new AccountTraffic(row.value1(), row.value2(), row.value3(), row.value4(),
                        row.value5() == null ? 0 : row.value5(), row.value6() == null ? 0 : row.value6(), row.value7(), row.value8()));
    }

    /** Active accounts whose balance less held money is under their threshold, lowest first. */
    public List<LowBalance> lowBalances(int limit) {
        return dsl.select(ACCOUNT.ID, ACCOUNT.NAME, ACCOUNT.CURRENCY, ACCOUNT.BALANCE, ACCOUNT.HELD, ACCOUNT.LOW_BALANCE_THRESHOLD)
                .from(ACCOUNT)
                .where(ACCOUNT.LOW_BALANCE_THRESHOLD.isNotNull())
                .and(ACCOUNT.STATUS.eq("active"))
                .and(ACCOUNT.BALANCE.minus(ACCOUNT.HELD).lt(ACCOUNT.LOW_BALANCE_THRESHOLD))
                .orderBy(ACCOUNT.BALANCE.minus(ACCOUNT.HELD).asc())
                .limit(limit)
                .fetch(row -> new LowBalance(row.value1(), row.value2(), row.value3(), row.value4(), row.value5(), row.value6()));
    }

    public Map<Long, String> gatewayNames(Collection<Long> ids) {
        Map<Long, String> names = new HashMap<>();
        if (ids.isEmpty()) {
            return names;
        }
        dsl.select(VENDOR_GATEWAY.ID, VENDOR_GATEWAY.NAME).from(VENDOR_GATEWAY).where(VENDOR_GATEWAY.ID.in(ids))
                .fetch().forEach(row -> names.put(row.value1(), row.value2()));
        return names;
    }
}
