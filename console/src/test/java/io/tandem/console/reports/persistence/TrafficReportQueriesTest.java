package io.tandem.console.reports.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CDR;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.reports.ReportKind;
import io.tandem.console.reports.ReportPeriod;
import io.tandem.console.reports.ReportRow;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The report SQL on real PostgreSQL and MariaDB: six calls (eight vendor attempts, one outside the
 * period) whose sums are worked out by hand below, so ASR, ACD, minutes and money are exact.
 */
class TrafficReportQueriesTest {

    static final Instant NOV_1 = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant DEC_1 = Instant.parse("2026-12-01T00:00:00Z");

    private long alpha;
    private long beta;
    private long v1;
    private long v2;

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void customersVendorsAndDestinationsAreSummedExactlyByTheDatabase(DatabaseKind kind) {
        try (TestDatabase database = TestDatabases.of(kind)) {
            DSLContext dsl = database.dsl();
            load(dsl);
            TrafficReportQueries queries = new TrafficReportQueries(dsl);
            ReportPeriod november = new ReportPeriod(NOV_1, DEC_1);

            List<ReportRow> customers = queries.page(ReportKind.CUSTOMERS, november, 0, 100);
            assertThat(customers).extracting(ReportRow::name).containsExactly("Alpha Telecom", "Beta Voice");
            ReportRow a = customers.get(0);
            assertThat(a.key()).isEqualTo(String.valueOf(alpha));
            assertThat(a.currency()).isEqualTo("EUR");
            // three calls (c1 tried two vendors), two answered for 90 + 30 s
            assertThat(a.attempts()).isEqualTo(3);
            assertThat(a.answered()).isEqualTo(2);
            assertThat(a.asrPercent()).isEqualByComparingTo("66.67");
            assertThat(a.acdSeconds()).isEqualByComparingTo("60.0");
            assertThat(a.minutes()).isEqualByComparingTo("2.00");
            assertThat(a.revenue()).isEqualTo(new BigDecimal("0.200000"));
            assertThat(a.cost()).isEqualTo(new BigDecimal("0.130000"));
            assertThat(a.margin()).isEqualTo(new BigDecimal("0.070000"));
            ReportRow b = customers.get(1);
            assertThat(b.attempts()).isEqualTo(2);
            assertThat(b.answered()).isEqualTo(1);
            assertThat(b.asrPercent()).isEqualByComparingTo("50.00");
            assertThat(b.acdSeconds()).isEqualByComparingTo("61.0");
            assertThat(b.minutes()).isEqualByComparingTo("1.02");
            assertThat(b.revenue()).isEqualTo(new BigDecimal("0.123456"));
            assertThat(b.cost()).isEqualTo(new BigDecimal("0.100001"));
            assertThat(b.margin()).isEqualTo(new BigDecimal("0.023455"));

            List<ReportRow> vendors = queries.page(ReportKind.VENDORS, november, 0, 100);
            assertThat(vendors).extracting(ReportRow::name).containsExactly("Vendor One", "Vendor Two");
            ReportRow one = vendors.get(0);
            // the failed first attempt of c1 counts against Vendor One
            assertThat(one.attempts()).isEqualTo(3);
            assertThat(one.answered()).isEqualTo(2);
            assertThat(one.asrPercent()).isEqualByComparingTo("66.67");
            assertThat(one.acdSeconds()).isEqualByComparingTo("45.5");
            assertThat(one.revenue()).isEqualTo(new BigDecimal("0.173456"));
            assertThat(one.cost()).isEqualTo(new BigDecimal("0.140001"));
            assertThat(one.margin()).isEqualTo(new BigDecimal("0.033455"));
            ReportRow two = vendors.get(1);
            assertThat(two.attempts()).isEqualTo(2);
            assertThat(two.answered()).isEqualTo(1);
            assertThat(two.acdSeconds()).isEqualByComparingTo("90.0");
            assertThat(two.margin()).isEqualTo(new BigDecimal("0.060000"));

            List<ReportRow> destinations = queries.page(ReportKind.DESTINATIONS, november, 0, 100);
            assertThat(destinations).extracting(ReportRow::key).containsExactly("4930", "4917", "");
            assertThat(destinations.get(0).attempts()).isEqualTo(2);
            assertThat(destinations.get(0).asrPercent()).isEqualByComparingTo("100.00");
            assertThat(destinations.get(0).revenue()).isEqualTo(new BigDecimal("0.200000"));
            assertThat(destinations.get(1).attempts()).isEqualTo(2);
            assertThat(destinations.get(1).answered()).isEqualTo(1);
            assertThat(destinations.get(2).name()).isEqualTo("(no rate)");
            assertThat(destinations.get(2).asrPercent()).isEqualByComparingTo("0.00");
            assertThat(destinations.get(2).revenue()).isEqualTo(new BigDecimal("0.000000"));

            // paging and the streamed form give the same lines
            assertThat(queries.page(ReportKind.CUSTOMERS, november, 1, 1)).extracting(ReportRow::name).containsExactly("Beta Voice");
            List<ReportRow> streamed = new ArrayList<>();
            queries.forEach(ReportKind.VENDORS, november, streamed::add);
            assertThat(streamed).isEqualTo(vendors);

            // the call at exactly 1 December belongs to December
            ReportRow december = queries.page(ReportKind.CUSTOMERS, new ReportPeriod(DEC_1, DEC_1.plusSeconds(86_400)), 0, 10).getFirst();
            assertThat(december.revenue()).isEqualTo(new BigDecimal("9.000000"));
        }
    }

    private void load(DSLContext dsl) {
        alpha = account(dsl, "Alpha Telecom", "customer");
        beta = account(dsl, "Beta Voice", "customer");
        v1 = account(dsl, "Vendor One", "vendor");
        v2 = account(dsl, "Vendor Two", "vendor");
        Instant t = NOV_1.plusSeconds(3_600);
        String c1 = UUID.randomUUID().toString();
        cdr(dsl, c1, 1, alpha, v1, t, 0, 503, "4930", "0", "0", "0");
        cdr(dsl, c1, 2, alpha, v2, t, 90, 200, "4930", "0.150000", "0.090000", "0.060000");
        cdr(dsl, UUID.randomUUID().toString(), 1, alpha, v1, t.plusSeconds(60), 30, 200, "4930", "0.050000", "0.040000", "0.010000");
        cdr(dsl, UUID.randomUUID().toString(), 1, alpha, v2, t.plusSeconds(120), 0, 486, "4917", "0", "0", "0");
        cdr(dsl, UUID.randomUUID().toString(), 1, alpha, v1, DEC_1, 600, 200, "4930", "9.000000", "6.000000", "3.000000");
        cdr(dsl, UUID.randomUUID().toString(), 1, beta, v1, t.plusSeconds(180), 61, 200, "4917", "0.123456", "0.100001", "0.023455");
        cdr(dsl, UUID.randomUUID().toString(), 1, beta, null, t.plusSeconds(240), 0, 404, null, "0", "0", "0");
    }

    private static long account(DSLContext dsl, String name, String kind) {
        return dsl.insertInto(ACCOUNT)
                .set(ACCOUNT.NAME, name).set(ACCOUNT.KIND, kind).set(ACCOUNT.CURRENCY, "EUR")
                .set(ACCOUNT.CREATED_AT, NOV_1).set(ACCOUNT.UPDATED_AT, NOV_1)
                .returningResult(ACCOUNT.ID).fetchSingle(ACCOUNT.ID);
    }


    private static void cdr(DSLContext dsl, String call, int attempt, long customer, Long vendor, Instant started, int billsec, int code,
                            String prefix, String sell, String buy, String margin) {
        dsl.insertInto(CDR)
                .set(CDR.CALL_UUID, call).set(CDR.ATTEMPT, (short) attempt).set(CDR.NODE_ID, "test")
                .set(CDR.SIP_CALL_ID, call + "-" + attempt).set(CDR.CUSTOMER_ACCOUNT_ID, customer).set(CDR.VENDOR_ACCOUNT_ID, vendor)
                .set(CDR.STARTED_AT, started).set(CDR.ANSWERED_AT, code == 200 ? started.plusSeconds(2) : null)
                .set(CDR.ENDED_AT, started.plusSeconds(2 + billsec)).set(CDR.BILLSEC, billsec).set(CDR.SIP_CODE, (short) code)
                .set(CDR.HANGUP_SIDE, "caller").set(CDR.CURRENCY, "EUR").set(CDR.SELL_PREFIX, prefix)
                .set(CDR.SELL_COST, new BigDecimal(sell)).set(CDR.BUY_COST, new BigDecimal(buy)).set(CDR.MARGIN, new BigDecimal(margin))
                .execute();
    }
}
