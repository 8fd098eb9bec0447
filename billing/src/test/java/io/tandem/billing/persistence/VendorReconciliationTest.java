package io.tandem.billing.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.billing.account.Money;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.reconciliation.CallLeg;
import io.tandem.billing.reconciliation.CallLegSorter;
import io.tandem.billing.reconciliation.Discrepancy;
import io.tandem.billing.reconciliation.MatchTolerance;
import io.tandem.billing.reconciliation.ReconciliationMatcher;
import io.tandem.billing.reconciliation.ReconciliationReport;
import io.tandem.billing.reconciliation.VendorCdrFileException;
import io.tandem.billing.reconciliation.VendorCdrMapping;
import io.tandem.billing.reconciliation.VendorCdrReader;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VendorReconciliationTest {

    private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-12-01T00:00:00Z");
    private static final DateTimeFormatter VENDOR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final VendorCdrMapping MAPPING = new VendorCdrMapping("Connect Time", "ANI", "DNIS", "Billed Sec", "Cost",
            "yyyy-MM-dd HH:mm:ss", "UTC", ';');

    @TempDir
    Path temp;

    /**
     * A vendor's file made from our own CDRs (their clock a second off, numbers written their way, rows in no
     * particular order), with planted differences: calls they bill that we never carried, calls of ours they
     * left out, longer durations, higher amounts, and rows of another month. The reconciliation reports exactly
     * those, and its totals are the planted differences.
     */
    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aFileWithPlantedDifferencesYieldsExactlyThem(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            long customer = InvoiceStoreTest.customer(dsl, "c-" + kind, "0").id();
            long vendor = InvoiceStoreTest.customer(dsl, "v-" + kind, "0").id();
            Random random = new Random(7);
            RateSnapshot sell = RateSnapshot.of("4420", "0.020000", "0", 1, 1);
            List<CdrRecord> ours = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                Instant started = FROM.plusSeconds(60 + random.nextInt(29 * 86_400));
                ours.add(InvoiceStoreTest.answered(customer, vendor, started, 1_000 + random.nextInt(600_000), sell,
                        String.format("4420%07d", i)));
            }
            new CdrStore(dsl).insert(ours);

            List<String> rows = new ArrayList<>();
            Set<String> left = new TreeSet<>();
            Set<String> longer = new TreeSet<>();
            Set<String> dearer = new TreeSet<>();
            for (int i = 0; i < ours.size(); i++) {
                CdrRecord our = ours.get(i);
                String called = our.calleeOut();
                if (i % 500 == 3) {
                    left.add(called);
                    continue;
                }
                long seconds = our.billsec();
                BigDecimal cost = our.buyCost();
                if (i % 700 == 5) {
                    longer.add(called);
                    seconds += 5;
                } else if (i % 700 == 6) {
                    dearer.add(called);
                    cost = cost.add(new BigDecimal("0.010000"));
                }
                Instant theirClock = our.answeredAt().plusMillis(random.nextInt(2000) - 1000);
                String theirNumber = (i % 2 == 0 ? "+" : "00") + called;
                rows.add(row(theirClock, theirNumber, seconds, cost));
            }
            Set<String> unknown = Set.of("4491000001", "4491000002", "4491000003");
            for (String number : unknown) {
                rows.add(row(FROM.plusSeconds(86_400 + random.nextInt(86_400)), number, 42, new BigDecimal("0.500000")));
            }
            for (int i = 0; i < 5; i++) {
                rows.add(row(Instant.parse("2026-10-31T23:00:00Z").plusSeconds(i), "4420" + i, 30, new BigDecimal("0.1")));
            }
            Collections.shuffle(rows, random);
            String file = "ANI;DNIS;Connect Time;Billed Sec;Cost\n" + String.join("\n", rows) + "\n";

            List<Discrepancy> found = new ArrayList<>();
            ReconciliationReport report;
            try (VendorCdrReader reader = new VendorCdrReader(new StringReader(file), MAPPING);
                 CallLegSorter sorted = new CallLegSorter(reader, temp, 300)) {
                assertThat(sorted.spilledRuns()).isEqualTo(7);
                report = new VendorCallStream(dsl).read(vendor, FROM, UNTIL,
                        our -> new ReconciliationMatcher(MatchTolerance.DEFAULTS).match(sorted, our, FROM, UNTIL, found::add));
            }

            assertThat(numbers(found, Discrepancy.Kind.ONLY_OURS)).isEqualTo(left);
            assertThat(numbers(found, Discrepancy.Kind.ONLY_THEIRS)).isEqualTo(unknown);
            assertThat(numbers(found, Discrepancy.Kind.DURATION)).isEqualTo(longer);
            assertThat(numbers(found, Discrepancy.Kind.AMOUNT)).isEqualTo(dearer);
            assertThat(found).hasSize(left.size() + unknown.size() + longer.size() + dearer.size());
            assertThat(report.outsidePeriod()).isEqualTo(5);
            assertThat(report.ourCalls()).isEqualTo(2000);
            assertThat(report.matched()).isEqualTo(2000 - left.size());
            assertThat(report.durationDifferenceSeconds()).isEqualTo(5L * longer.size());
            assertThat(report.amountDifference()).isEqualByComparingTo(new BigDecimal("0.010000").multiply(BigDecimal.valueOf(dearer.size())));
            assertThat(report.onlyTheirsAmount()).isEqualByComparingTo("1.500000");
            BigDecimal leftOut = ours.stream().filter(c -> left.contains(c.calleeOut())).map(CdrRecord::buyCost)
                    .reduce(Money.ZERO, BigDecimal::add);
            assertThat(report.onlyOursAmount()).isEqualByComparingTo(leftOut);
            assertThat(report.disputedAmount()).isEqualByComparingTo(report.onlyTheirsAmount().add(report.amountDifference())
                    .subtract(leftOut));
            try (var files = Files.list(temp)) {
                assertThat(files).as("sorted runs are deleted").isEmpty();
            }
        }
    }

    @Test
    void aBadRowIsRefusedWithItsRowNumberAndColumn() {
        String file = "ANI;DNIS;Connect Time;Billed Sec;Cost\n1;4420;2026-11-02 10:00:00;60;0.1\n1;4420;2026-11-02 10:00:01;sixty;0.1\n";
        try (VendorCdrReader reader = new VendorCdrReader(new StringReader(file), MAPPING)) {
            reader.next();
            assertThatThrownBy(reader::next).isInstanceOf(VendorCdrFileException.class)
                    .hasMessage("row 3: duration: \"sixty\" is not a number of seconds");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThatThrownBy(() -> new VendorCdrReader(new StringReader("a;b\n"), MAPPING))
                .hasMessageStartingWith("row 1: no column \"Connect Time\" in the header");
    }

    @Test
    void aMissingDayOfTheirsDoesNotHoldOurCallsInMemory() {
        List<CallLeg> ours = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ours.add(new CallLeg(FROM.plusSeconds(i), "", "44" + i, 10, Money.ZERO, "ours-" + i));
        }
        List<CallLeg> theirs = List.of(new CallLeg(FROM.plusSeconds(9_999), "", "449999", 10, null, "row 2"));
        List<Discrepancy> found = new ArrayList<>();
        ReconciliationReport report = new ReconciliationMatcher(MatchTolerance.DEFAULTS)
                .match(theirs.iterator(), ours.iterator(), FROM, UNTIL, found::add);
        assertThat(report.matched()).isEqualTo(1);
        assertThat(report.onlyOurs()).isEqualTo(9_999);
        assertThat(found).hasSize(9_999);
    }

    private static String row(Instant at, String called, long seconds, BigDecimal cost) {
        return "4930123;" + called + ";" + VENDOR_TIME.format(at) + ";" + seconds + ";" + cost.toPlainString();
    }

    private static Set<String> numbers(List<Discrepancy> found, Discrepancy.Kind kind) {
        return found.stream().filter(d -> d.kind() == kind)
                .map(d -> (d.theirs() != null ? d.theirs() : d.ours()).called()).collect(Collectors.toCollection(TreeSet::new));
    }
}
