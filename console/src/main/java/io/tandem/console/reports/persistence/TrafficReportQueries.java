package io.tandem.console.reports.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CDR;

import io.tandem.console.reports.ReportKind;
import io.tandem.console.reports.ReportPeriod;
import io.tandem.console.reports.ReportRow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectHavingStep;
import org.jooq.SelectField;
import org.jooq.SortField;
import org.jooq.impl.DSL;

/**
 * Traffic reports as one {@code GROUP BY} over the period's CDRs (the period is a range scan of
 * {@code ix_cdr_started}), so the database sums millions of rows and only the groups travel. Amounts are summed per currency:
 * a customer billed in two currencies has two lines.
 */
public class TrafficReportQueries {

    private static final Field<Long> ATTEMPTS_CALLS = DSL.countDistinct(CDR.CALL_UUID).cast(Long.class).as("attempts");
    private static final Field<Long> ATTEMPTS_ROWS = DSL.count().cast(Long.class).as("attempts");
    private static final Field<Long> ANSWERED = DSL.count(CDR.ANSWERED_AT).cast(Long.class).as("answered");
    private static final Field<BigDecimal> BILLED = DSL.coalesce(DSL.sum(CDR.BILLSEC), BigDecimal.ZERO).as("billed");
    private static final Field<BigDecimal> REVENUE = DSL.coalesce(DSL.sum(CDR.SELL_COST), BigDecimal.ZERO).as("revenue");
    private static final Field<BigDecimal> COST = DSL.coalesce(DSL.sum(CDR.BUY_COST), BigDecimal.ZERO).as("cost");
    private static final Field<BigDecimal> MARGIN = DSL.coalesce(DSL.sum(CDR.MARGIN), BigDecimal.ZERO).as("margin");
    private static final Field<String> DESTINATION = DSL.coalesce(CDR.SELL_PREFIX, DSL.inline("")).as("destination");

    private final DSLContext dsl;

    public TrafficReportQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** One page of the report, biggest revenue first. */
    public List<ReportRow> page(ReportKind kind, ReportPeriod period, int offset, int limit) {
        List<ReportRow> rows = new ArrayList<>();
        query(kind, period).orderBy(order(kind)).limit(limit).offset(offset).fetch().forEach(r -> rows.add(row(kind, r)));
        return rows;
    }

    /** Every line, handed over as the cursor yields them (for CSV downloads). */
    public void forEach(ReportKind kind, ReportPeriod period, Consumer<ReportRow> consumer) {
        try (Cursor<Record> cursor = query(kind, period).orderBy(order(kind)).fetchSize(500).fetchLazy()) {
            for (Record record : cursor) {
                consumer.accept(row(kind, record));
            }
        }
    }

    private SelectHavingStep<Record> query(ReportKind kind, ReportPeriod period) {
        Condition inPeriod = CDR.STARTED_AT.ge(period.from()).and(CDR.STARTED_AT.lt(period.to()));
        return switch (kind) {
            case CUSTOMERS -> dsl.select(fields(CDR.CUSTOMER_ACCOUNT_ID, ACCOUNT.NAME, CDR.CURRENCY, ATTEMPTS_CALLS))
                    .from(CDR).leftJoin(ACCOUNT).on(ACCOUNT.ID.eq(CDR.CUSTOMER_ACCOUNT_ID))
                    .where(inPeriod)
                    .groupBy(CDR.CUSTOMER_ACCOUNT_ID, ACCOUNT.NAME, CDR.CURRENCY);
            case VENDORS -> dsl.select(fields(CDR.VENDOR_ACCOUNT_ID, ACCOUNT.NAME, CDR.CURRENCY, ATTEMPTS_ROWS))
                    .from(CDR).leftJoin(ACCOUNT).on(ACCOUNT.ID.eq(CDR.VENDOR_ACCOUNT_ID))
                    .where(inPeriod).and(CDR.VENDOR_ACCOUNT_ID.isNotNull())
                    .groupBy(CDR.VENDOR_ACCOUNT_ID, ACCOUNT.NAME, CDR.CURRENCY);
            case DESTINATIONS -> dsl.select(fields(DESTINATION, CDR.CURRENCY, ATTEMPTS_CALLS))
                    .from(CDR)
                    .where(inPeriod)
                    .groupBy(DSL.coalesce(CDR.SELL_PREFIX, DSL.inline("")), CDR.CURRENCY);
        };
    }

    /** The grouping columns and the attempt count, then the sums every report has. */
    private static List<SelectField<?>> fields(SelectField<?>... leading) {
        List<SelectField<?>> fields = new ArrayList<>(List.of(leading));
        fields.addAll(List.of(ANSWERED, BILLED, REVENUE, COST, MARGIN));
        return fields;
    }

    private static List<SortField<?>> order(ReportKind kind) {
        Field<?> key = switch (kind) {
            case CUSTOMERS -> CDR.CUSTOMER_ACCOUNT_ID;
            case VENDORS -> CDR.VENDOR_ACCOUNT_ID;
            case DESTINATIONS -> DSL.field(DSL.name("destination"));
        };
        return List.of(DSL.field(DSL.name("revenue")).desc(), key.asc(), CDR.CURRENCY.asc());
    }

    private static ReportRow row(ReportKind kind, Record r) {
        String key;
        String name;
        if (kind == ReportKind.DESTINATIONS) {
            key = r.get(DESTINATION);
            name = key.isEmpty() ? "(no rate)" : key;
        } else {
            Long id = r.get(kind == ReportKind.CUSTOMERS ? CDR.CUSTOMER_ACCOUNT_ID : CDR.VENDOR_ACCOUNT_ID);
            key = String.valueOf(id);
            name = r.get(ACCOUNT.NAME) == null ? "account " + id : r.get(ACCOUNT.NAME);
        }
        return new ReportRow(key, name, r.get(CDR.CURRENCY), r.get("attempts", Long.class), r.get("answered", Long.class),
                r.get("billed", BigDecimal.class).longValueExact(), r.get("revenue", BigDecimal.class).setScale(6),
                r.get("cost", BigDecimal.class).setScale(6), r.get("margin", BigDecimal.class).setScale(6));
    }
}
