package io.tandem.billing.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.persistence.CdrStore;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.testing.BillingFixtures;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CdrExportTest {

    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void exportsExactlyTheFilteredCdrsInStartOrder(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            CdrStore store = new CdrStore(db.dsl());
            List<CdrRecord> cdrs = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                UUID call = UUID.randomUUID();
                long customer = 1 + i % 2;
                Instant start = DAY.plusSeconds(i * 30L);
                cdrs.add(i % 5 == 0
                        ? BillingFixtures.failedAttempt(call, 1, customer, "node-a", start)
                        : BillingFixtures.answeredCall(call, customer, "node-a", start, 1_000L * (i % 300),
                                BillingFixtures.SELL, BillingFixtures.BUY));
            }
            assertThat(store.insert(cdrs)).isEqualTo(5_000);
            assertThat(store.insert(cdrs.subList(0, 10))).as("an attempt is stored once").isZero();
            CdrExport export = new CdrExport(store);
            Instant until = DAY.plusSeconds(30L * 4_000);

            CountingWriter all = new CountingWriter();
            long rows = export.writeCsv(CdrFilter.period(DAY, until), all);
            CountingWriter answeredOfOne = new CountingWriter();
            long answeredRows = export.writeCsv(CdrFilter.period(DAY, until).customer(2).answered(), answeredOfOne);

            assertThat(rows).isEqualTo(4_000);
            assertThat(all.lines).isEqualTo(4_001);
            long expected = cdrs.subList(0, 4_000).stream()
                    .filter(c -> c.customerAccountId() == 2 && c.answered()).count();
            assertThat(answeredRows).isEqualTo(expected);
            assertThat(export.writeCsv(CdrFilter.period(DAY, until).vendor(999), new CountingWriter())).isZero();
        }
    }

    @Test
    void textThatASpreadsheetWouldRunIsNeutralisedAndNumbersStayNumbers() {
        UUID call = UUID.fromString("00000000-0000-0000-0000-000000000001");
        CdrRecord hostile = new CdrRecord(call, 1, "node-a", "=HYPERLINK(\"http://x\",\"y\")", 1, null, 2L, 3L,
                "+441234567", "@SUM(A1)", "-2+3", "4420", DAY, DAY.plusSeconds(2), DAY.plusSeconds(12), 12_000, 10, 2000,
                200, "OK, fine", 16, HangupSide.CALLER, "EUR", RateSnapshot.of("44", "0.010000", "0", 1, 1),
                RateSnapshot.of("44", "0.020000", "0", 1, 1), new BigDecimal("0.001667"), new BigDecimal("0.003333"),
                new BigDecimal("-0.001666"));
        StringWriter out = new StringWriter();

        CdrCsvWriter csv = new CdrCsvWriter(out);
        csv.accept(hostile);

        String[] lines = out.toString().split("\r\n");
        assertThat(lines[0]).startsWith("call_uuid,attempt,node_id,sip_call_id,");
        assertThat(lines[1]).isEqualTo("00000000-0000-0000-0000-000000000001,1,node-a,"
                + "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1,,2,3,'+441234567,'@SUM(A1),'-2+3,4420,"
                + "2026-11-20T00:00:00Z,2026-11-20T00:00:02Z,2026-11-20T00:00:12Z,12000,10,2000,200,\"OK, fine\",16,"
                + "caller,EUR,44,0.010000,0.000000,1/1,44,0.020000,0.000000,1/1,0.001667,0.003333,-0.001666,,,,,,,,");
        assertThat(lines[0]).endsWith(",margin,rtp_customer_packets,rtp_customer_octets,rtp_customer_lost,rtp_customer_jitter_ms,"
                + "rtp_vendor_packets,rtp_vendor_octets,rtp_vendor_lost,rtp_vendor_jitter_ms");

        csv.accept(hostile.withMedia(new CdrMediaStats(new CdrMediaStats.Direction(500, 86_000, 3, 2),
                new CdrMediaStats.Direction(498, 85_656, 0, 17))));
        assertThat(out.toString().split("\r\n")[2]).endsWith(",-0.001666,500,86000,3,2,498,85656,0,17");
    }

    /** Counts lines and keeps nothing, like a client download. */
    private static final class CountingWriter extends Writer {
        long lines;

        @Override
        public void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
        }

        @Override
        public Writer append(CharSequence text) {
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    lines++;
                }
            }
            return this;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
