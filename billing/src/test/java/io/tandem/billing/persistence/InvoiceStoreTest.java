package io.tandem.billing.persistence;

import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.billing.account.AccountSpec;
import io.tandem.billing.account.AccountStatus;
import io.tandem.billing.account.LedgerEntryKind;
import io.tandem.billing.account.LedgerPosting;
import io.tandem.billing.account.Money;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.invoicing.Invoice;
import io.tandem.billing.invoicing.InvoiceCsvWriter;
import io.tandem.billing.invoicing.InvoiceLine;
import io.tandem.billing.invoicing.InvoiceLineKind;
import io.tandem.billing.invoicing.InvoicePdfRenderer;
import io.tandem.billing.invoicing.InvoicePeriod;
import io.tandem.billing.invoicing.InvoiceProfile;
import io.tandem.billing.invoicing.VendorStatement;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.settlement.HoldSource;
import io.tandem.billing.settlement.Settlement;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InvoiceStoreTest {

    private static final InvoicePeriod NOVEMBER = InvoicePeriod.month(YearMonth.of(2026, 11));
    private static final Instant OCTOBER_15 = Instant.parse("2026-10-15T08:00:00Z");
    /** After November, so November may be invoiced; fixed so the test never depends on today's date. */
    private static final Clock AFTER_NOVEMBER = Clock.fixed(Instant.parse("2026-12-02T06:00:00Z"), ZoneOffset.UTC);

    private static final List<RateSnapshot> SELL_RATES = List.of(
            RateSnapshot.of("4420", "0.012345", "0.010000", 60, 6),
            RateSnapshot.of("447", "0.087000", "0", 30, 6),
            RateSnapshot.of("33", "0.004321", "0.001000", 1, 1));
    private static final RateSnapshot BUY = RateSnapshot.of("44", "0.003000", "0", 1, 1);

    /**
     * A month of generated calls (settled through the real settlement store, at random times in November,
     * with calls in October and on 1 December around it), top-ups and an adjustment: the invoice's opening and
     * closing balance, usage, top-ups and adjustments are the ledger's sums to the micro-unit, each destination
     * line holds exactly its calls, and what the customer sees in the PDF and CSV is those figures.
     */
    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void invoiceTotalsEqualTheLedgerOverAMonthOfGeneratedCalls(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            Account customer = customer(dsl, "Zürich Telecom ÅB", "100.000000");
            long vendorId = customer(dsl, "vendor-" + UUID.randomUUID(), "0").id();
            addDestinationNames(dsl, customer.id());
            InvoiceStore invoices = new InvoiceStore(dsl, AFTER_NOVEMBER, new AccountLedger(dsl, AFTER_NOVEMBER));
            invoices.saveProfile(new InvoiceProfile(customer.id(), "INV", 1, "VAT 20%", new BigDecimal("0.200000")), "test");

            Random random = new Random(20);
            Map<String, long[]> expectedCounts = new TreeMap<>();
            Map<String, BigDecimal> expectedAmounts = new TreeMap<>();
            List<Settlement> settlements = new ArrayList<>();
            Instant novemberStart = NOVEMBER.start();
            for (int i = 0; i < 600; i++) {
                RateSnapshot sell = SELL_RATES.get(random.nextInt(SELL_RATES.size()));
                long offsetSeconds = (long) random.nextInt(30 * 86_400);
                Instant started = novemberStart.plusSeconds(offsetSeconds);
                CdrRecord cdr = answered(customer.id(), vendorId, started, 1_000 + random.nextInt(900_000), sell, "4420" + i);
                settlements.add(new Settlement(cdr.callUuid(), customer.id(), "node-a", HoldSource.NONE, List.of(cdr),
                        cdr.endedAt().plusMillis(50)));
                if (cdr.sellCost().signum() > 0 && !cdr.endedAt().plusMillis(50).isBefore(novemberStart)
                        && cdr.endedAt().plusMillis(50).isBefore(NOVEMBER.end())) {
                    expectedCounts.computeIfAbsent(sell.prefix(), k -> new long[2])[0]++;
                    expectedCounts.get(sell.prefix())[1] += io.tandem.billing.rating.CallRater.billableSeconds(sell, cdr.billsec());
                    expectedAmounts.merge(sell.prefix(), cdr.sellCost().negate(), BigDecimal::add);
                }
            }
            // Around the month: calls settled in October and on 1 December, which the invoice must leave out.
            for (Instant outside : List.of(Instant.parse("2026-10-20T10:00:00Z"), Instant.parse("2026-12-01T00:00:00.500Z"))) {
                CdrRecord cdr = answered(customer.id(), vendorId, outside, 95_000, SELL_RATES.get(0), "4420999");
                settlements.add(new Settlement(cdr.callUuid(), customer.id(), "node-a", HoldSource.NONE, List.of(cdr), cdr.endedAt()));
            }
            Collections.shuffle(settlements, random);
            new SettlementStore(dsl, "node:a").apply(settlements);
            post(dsl, customer.id(), LedgerEntryKind.TOPUP, "50.000000", "wire 2026-117", Instant.parse("2026-11-03T12:00:00Z"));
            post(dsl, customer.id(), LedgerEntryKind.TOPUP, "25.500000", "card", Instant.parse("2026-11-20T12:00:00Z"));
            post(dsl, customer.id(), LedgerEntryKind.ADJUSTMENT, "-1.250000", "porting fee", Instant.parse("2026-11-21T09:00:00Z"));
            post(dsl, customer.id(), LedgerEntryKind.TOPUP, "10.000000", "December top-up", Instant.parse("2026-12-01T09:00:00Z"));

            var result = invoices.issue(customer.id(), NOVEMBER, "finance-alice");

            assertThat(result).isInstanceOf(InvoiceStore.IssueResult.Issued.class);
            Invoice invoice = ((InvoiceStore.IssueResult.Issued) result).invoice();
            assertThat(invoice.documentNumber()).isEqualTo("INV-000001");
            assertThat(invoice.openingBalance()).isEqualByComparingTo(ledgerSum(dsl, customer.id(), null, NOVEMBER.start()));
            assertThat(invoice.closingBalance()).isEqualByComparingTo(ledgerSum(dsl, customer.id(), null, NOVEMBER.end()));
            assertThat(invoice.usage()).isEqualByComparingTo(ledgerSum(dsl, customer.id(), LedgerEntryKind.CALL, null));
            assertThat(invoice.topups()).isEqualByComparingTo("75.500000");
            assertThat(invoice.adjustments()).isEqualByComparingTo("-1.250000");
            assertThat(invoice.openingBalance().add(invoice.usage()).add(invoice.topups()).add(invoice.adjustments()))
                    .isEqualByComparingTo(invoice.closingBalance());
            List<InvoiceLine> usage = invoice.lines().stream().filter(l -> l.kind() == InvoiceLineKind.USAGE).toList();
            assertThat(usage).extracting(InvoiceLine::prefix).containsExactlyElementsOf(expectedAmounts.keySet());
            for (InvoiceLine line : usage) {
                assertThat(line.calls()).as(line.prefix()).isEqualTo(expectedCounts.get(line.prefix())[0]);
                assertThat(line.billedSeconds()).as(line.prefix()).isEqualTo(expectedCounts.get(line.prefix())[1]);
                assertThat(line.amount()).as(line.prefix()).isEqualByComparingTo(expectedAmounts.get(line.prefix()));
            }
            assertThat(usage.getFirst().description()).isEqualTo("France");
            BigDecimal charges = invoice.usage().negate();
            assertThat(invoice.tax()).isEqualByComparingTo(Money.round(charges.multiply(new BigDecimal("0.2"))));
            assertThat(invoice.totalDue()).isEqualByComparingTo(charges.add(invoice.tax()));

            // Issuing again (another node, a double click) gives the same invoice, and no number is used up.
            var again = invoices.issue(customer.id(), NOVEMBER, "finance-bob");
            assertThat(again).isInstanceOf(InvoiceStore.IssueResult.AlreadyIssued.class);
            assertThat(((InvoiceStore.IssueResult.AlreadyIssued) again).invoice().number()).isEqualTo(1);
            assertThat(invoices.issue(customer.id(), InvoicePeriod.month(YearMonth.of(2026, 12)), "x"))
                    .isInstanceOf(InvoiceStore.IssueResult.PeriodNotOver.class);

            // What the customer reads: the PDF's text, extracted back, with its fonts embedded.
            Invoice stored = invoices.find(invoice.id()).orElseThrow();
            ByteArrayOutputStream pdf = new ByteArrayOutputStream();
            new InvoicePdfRenderer().render(stored, pdf);
            try (PDDocument document = Loader.loadPDF(pdf.toByteArray())) {
                String text = new PDFTextStripper().getText(document);
                assertThat(text).contains("Invoice INV-000001", "Account: Zürich Telecom ÅB", "Period: 2026-11-01 to 2026-11-30 (UTC)",
                        "Closing balance " + Money.format(invoice.closingBalance()),
                        "VAT 20% (20 %) " + Money.format(invoice.tax()),
                        "Total charges incl. tax " + Money.format(invoice.totalDue()),
                        "topup 2026-11-03 wire 2026-117 50.000000");
                InvoiceLine france = usage.getFirst();
                assertThat(text).contains("usage 33 France " + france.calls() + " " + france.billedMinutes().toPlainString()
                        + " " + Money.format(france.amount()));
                for (var page : document.getPages()) {
                    for (var name : page.getResources().getFontNames()) {
                        PDFont font = page.getResources().getFont(name);
                        assertThat(font.isEmbedded()).as(font.getName()).isTrue();
                    }
                }
            }
            StringWriter csv = new StringWriter();
            new InvoiceCsvWriter().write(stored, csv);
            assertThat(csv.toString()).contains("INV-000001,total,,closing_balance,,,," + Money.format(invoice.closingBalance()) + ",EUR");

            // A correction is a credit note: the invoice stays as it was, the balance gets the credit.
            BigDecimal balanceBefore = ledgerSum(dsl, customer.id(), null, Instant.parse("2100-01-01T00:00:00Z"));
            var credit = invoices.creditNote(invoice.id(), new BigDecimal("2.000000"), "disputed calls to 447", "finance-alice");
            assertThat(credit).isInstanceOf(InvoiceStore.CreditResult.Issued.class);
            Invoice note = ((InvoiceStore.CreditResult.Issued) credit).creditNote();
            assertThat(note.documentNumber()).isEqualTo("CN-000001");
            assertThat(note.correctsId()).isEqualTo(invoice.id());
            assertThat(ledgerSum(dsl, customer.id(), null, Instant.parse("2100-01-01T00:00:00Z")))
                    .isEqualByComparingTo(balanceBefore.add(new BigDecimal("2")));
            assertThat(invoices.find(invoice.id()).orElseThrow()).isEqualTo(stored);
            assertThat(invoices.creditNote(invoice.id(), invoice.totalDue(), "too much", "x"))
                    .isInstanceOf(InvoiceStore.CreditResult.ExceedsInvoice.class);
            assertThat(new AccountLedger(dsl, AFTER_NOVEMBER).reconcile()).isEmpty();

            // The vendor's statement: the buy side of the same calls that started in November.
            VendorStatement statement = invoices.vendorStatement(vendorId, NOVEMBER).orElseThrow();
            BigDecimal expectedBuy = settlements.stream().flatMap(s -> s.attempts().stream())
                    .filter(c -> !c.startedAt().isBefore(NOVEMBER.start()) && c.startedAt().isBefore(NOVEMBER.end()))
                    .map(CdrRecord::buyCost).reduce(Money.ZERO, BigDecimal::add);
            assertThat(statement.total()).isEqualByComparingTo(expectedBuy);
            assertThat(statement.lines()).extracting(InvoiceLine::prefix).containsExactly("44");
        }
    }

    /**
     * Two nodes (two connection pools) issue the invoices of the same 30 accounts at once, each in its own
     * order: every account gets exactly one invoice and the series is 1..30 without a gap or a duplicate.
     */
    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void numbersHaveNoGapsWhenTwoNodesIssueAtOnce(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind); var nodeA = db.newPool(4); var nodeB = db.newPool(4)) {
            List<Long> accounts = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Account account = customer(db.dsl(), "c" + i + "-" + UUID.randomUUID(), "10.000000");
                accounts.add(account.id());
                post(db.dsl(), account.id(), LedgerEntryKind.TOPUP, "1.00000" + (i % 10), "t", Instant.parse("2026-11-10T00:00:00Z"));
            }
            List<InvoiceStore> nodes = List.of(
                    new InvoiceStore(DSL.using(nodeA, kind.dialect()), AFTER_NOVEMBER, new AccountLedger(DSL.using(nodeA, kind.dialect()), AFTER_NOVEMBER)),
                    new InvoiceStore(DSL.using(nodeB, kind.dialect()), AFTER_NOVEMBER, new AccountLedger(DSL.using(nodeB, kind.dialect()), AFTER_NOVEMBER)));
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            List<Future<Integer>> issued = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                InvoiceStore node = nodes.get(n);
                List<Long> order = new ArrayList<>(accounts);
                Collections.shuffle(order, new Random(n));
                issued.add(threads.submit(() -> {
                    start.await();
                    int mine = 0;
                    for (long account : order) {
                        if (node.issue(account, NOVEMBER, "node") instanceof InvoiceStore.IssueResult.Issued) {
                            mine++;
                        }
                    }
                    return mine;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : issued) {
                total += f.get();
            }
            threads.shutdown();

            assertThat(total).isEqualTo(30);
            List<Long> numbers = nodes.getFirst().numbers("INV");
            assertThat(numbers).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList());
            assertThat(nodes.getFirst().list(null, 0, 100)).extracting(Invoice::accountId)
                    .containsExactlyInAnyOrderElementsOf(accounts);
        }
    }

    static Account customer(DSLContext dsl, String name, String opening) {
        Clock october = Clock.fixed(OCTOBER_15, ZoneOffset.UTC);
        AccountRepository accounts = new AccountRepository(dsl, october, new AccountLedger(dsl, october));
        return accounts.create(new AccountSpec(name, AccountKind.CUSTOMER, "EUR", new BigDecimal("1000"), AccountStatus.ACTIVE,
                null, null, null, null, false), new BigDecimal(opening), "test");
    }

    private static void post(DSLContext dsl, long account, LedgerEntryKind kind, String amount, String reference, Instant at) {
        new AccountLedger(dsl, Clock.fixed(at, ZoneOffset.UTC))
                .post(LedgerPosting.of(account, kind, new BigDecimal(amount), reference, "test"));
    }

    private static void addDestinationNames(DSLContext dsl, long accountId) {
        Instant now = OCTOBER_15;
        long deck = dsl.insertInto(io.tandem.db.jooq.Tables.RATE_DECK)
                .set(io.tandem.db.jooq.Tables.RATE_DECK.ACCOUNT_ID, accountId)
                .set(io.tandem.db.jooq.Tables.RATE_DECK.NAME, "sell")
                .set(io.tandem.db.jooq.Tables.RATE_DECK.DIRECTION, "sell")
                .set(io.tandem.db.jooq.Tables.RATE_DECK.CURRENCY, "EUR")
                .set(io.tandem.db.jooq.Tables.RATE_DECK.CREATED_AT, now)
                .set(io.tandem.db.jooq.Tables.RATE_DECK.UPDATED_AT, now)
                .returningResult(io.tandem.db.jooq.Tables.RATE_DECK.ID).fetchSingle().value1();
        for (String[] rate : List.of(new String[] {"4420", "United Kingdom - London"}, new String[] {"447", "United Kingdom - Mobile"},
                new String[] {"33", "France"})) {
            dsl.insertInto(io.tandem.db.jooq.Tables.RATE)
                    .set(io.tandem.db.jooq.Tables.RATE.DECK_ID, deck)
                    .set(io.tandem.db.jooq.Tables.RATE.PREFIX, rate[0])
                    .set(io.tandem.db.jooq.Tables.RATE.DESTINATION, rate[1])
                    .set(io.tandem.db.jooq.Tables.RATE.RATE_PER_MINUTE, new BigDecimal("0.01"))
                    .set(io.tandem.db.jooq.Tables.RATE.EFFECTIVE_FROM, now)
                    .execute();
        }
    }

    private static BigDecimal ledgerSum(DSLContext dsl, long account, LedgerEntryKind kind, Instant before) {
        var condition = LEDGER_ENTRY.ACCOUNT_ID.eq(account);
        if (kind != null) {
            condition = condition.and(LEDGER_ENTRY.KIND.eq(kind.code()))
                    .and(LEDGER_ENTRY.CREATED_AT.ge(NOVEMBER.start())).and(LEDGER_ENTRY.CREATED_AT.lt(NOVEMBER.end()));
        }
        if (before != null) {
            condition = condition.and(LEDGER_ENTRY.CREATED_AT.lt(before));
        }
        BigDecimal sum = dsl.select(DSL.sum(LEDGER_ENTRY.AMOUNT)).from(LEDGER_ENTRY).where(condition).fetchSingle().value1();
        return sum == null ? Money.ZERO : sum;
    }

    /** An answered call from the customer through the vendor, priced on both sides. */
    static CdrRecord answered(long customerId, Long vendorId, Instant startedAt, long talkMillis, RateSnapshot sell, String callee) {
        UUID call = UUID.randomUUID();
        Instant answeredAt = startedAt.plusMillis(1500);
        Instant endedAt = answeredAt.plus(Duration.ofMillis(talkMillis));
        return new CdrRecord(call, 1, "node-a", call + "@test", customerId, null, vendorId, null,
                "+4930123", callee, "4930123", callee, startedAt, answeredAt, endedAt,
                Duration.between(startedAt, endedAt).toMillis(), 0, 1500, 200, "OK", 16, HangupSide.CALLER, "EUR",
                sell, BUY, null, null, null).priced();
    }
}
