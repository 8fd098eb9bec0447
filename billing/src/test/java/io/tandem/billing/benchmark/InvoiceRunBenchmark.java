package io.tandem.billing.benchmark;

import io.tandem.billing.account.AccountKind;
import io.tandem.billing.account.AccountSpec;
import io.tandem.billing.account.AccountStatus;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.invoicing.Invoice;
import io.tandem.billing.invoicing.InvoicePdfRenderer;
import io.tandem.billing.invoicing.InvoicePeriod;
import io.tandem.billing.persistence.AccountLedger;
import io.tandem.billing.persistence.AccountRepository;
import io.tandem.billing.persistence.InvoiceStore;
import io.tandem.billing.persistence.SettlementStore;
import io.tandem.billing.persistence.VendorCallStream;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.settlement.HoldSource;
import io.tandem.billing.settlement.Settlement;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;

/**
 * Month-end invoicing of many customers on a real embedded database, for docs/performance.md. Not a test:
 * run it by hand ({@code docs/bench/invoicing.sh}). Creates {@code customers} accounts, settles
 * {@code calls} November calls for each through the settlement store (CDR + ledger entry each, over
 * {@code prefixes} destinations), then times issuing every invoice (one thread, as the console's run does) and
 * rendering every PDF, and the database cursor that feeds a vendor reconciliation.
 */
public final class InvoiceRunBenchmark {

    private static final InvoicePeriod NOVEMBER = InvoicePeriod.month(YearMonth.of(2026, 11));

    private InvoiceRunBenchmark() {
    }

    public static void main(String[] args) {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int prefixes = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        DatabaseKind kind = args.length > 3 && args[3].equals("mysql") ? DatabaseKind.MYSQL : DatabaseKind.POSTGRESQL;
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            Clock october = Clock.fixed(Instant.parse("2026-10-01T00:00:00Z"), ZoneOffset.UTC);
            AccountRepository accounts = new AccountRepository(dsl, october, new AccountLedger(dsl, october));
            long vendor = accounts.create(new AccountSpec("vendor", AccountKind.VENDOR, "EUR", BigDecimal.ZERO, AccountStatus.ACTIVE,
                    null, null, null, null, false), BigDecimal.ZERO, "bench").id();
            long start = System.nanoTime();
            SettlementStore settlements = new SettlementStore(dsl, "node:bench");
            SplittableRandom random = new SplittableRandom(1);
            List<Settlement> batch = new ArrayList<>();
            for (int c = 0; c < customers; c++) {
                long customer = accounts.create(new AccountSpec("customer-" + c, AccountKind.CUSTOMER, "EUR", new BigDecimal("100000"),
                        AccountStatus.ACTIVE, null, null, null, null, false), new BigDecimal("1000"), "bench").id();
                for (int i = 0; i < calls; i++) {
                    String prefix = "44" + (20 + random.nextInt(prefixes));
                    RateSnapshot sell = RateSnapshot.of(prefix, "0.0" + (10 + random.nextInt(80)), "0", 60, 6);
                    RateSnapshot buy = RateSnapshot.of(prefix, "0.005", "0", 1, 1);
                    Instant answered = NOVEMBER.start().plusSeconds(random.nextLong(29L * 86_400));
                    UUID call = UUID.randomUUID();
                    CdrRecord cdr = new CdrRecord(call, 1, "bench", call + "@b", customer, null, vendor, null, "4930", prefix + "1234567",
                            "4930", prefix + "1234567", answered.minusSeconds(3), answered, answered.plusSeconds(5 + random.nextInt(900)),
                            0, 0, 3000, 200, "OK", 16, HangupSide.CALLER, "EUR", sell, buy, null, null, null).priced();
                    batch.add(new Settlement(call, customer, "bench", HoldSource.NONE, List.of(cdr), cdr.endedAt()));
                    if (batch.size() == 2000) {
                        settlements.apply(batch);
                        batch.clear();
                    }
                }
            }
            settlements.apply(batch);
            System.out.printf(Locale.ROOT, "%s: %,d customers x %,d calls settled in %.1f s%n", db.kind(), customers, calls,
                    (System.nanoTime() - start) / 1e9);

            Clock december = Clock.fixed(Instant.parse("2026-12-01T06:00:00Z"), ZoneOffset.UTC);
            InvoiceStore invoices = new InvoiceStore(dsl, december, new AccountLedger(dsl, december));
            start = System.nanoTime();
            List<Invoice> issued = new ArrayList<>();
            for (long account : invoices.invoicedAccounts()) {
                if (invoices.issue(account, NOVEMBER, "bench") instanceof InvoiceStore.IssueResult.Issued i) {
                    issued.add(i.invoice());
                }
            }
            double issue = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            AtomicLong bytes = new AtomicLong();
            InvoicePdfRenderer renderer = new InvoicePdfRenderer();
            for (Invoice invoice : issued) {
                renderer.render(invoice, new OutputStream() {
                    @Override
                    public void write(int b) {
                        bytes.incrementAndGet();
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        bytes.addAndGet(len);
                    }
                });
            }
            double render = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "issued %,d invoices in %.1f s (%.1f ms each, %,d usage lines in all); PDFs rendered in %.1f s"
                            + " (%.1f ms each, %,d KB average)%n", issued.size(), issue, issue * 1000 / issued.size(),
                    issued.stream().mapToLong(i -> i.lines().size()).sum(), render, render * 1000 / issued.size(),
                    bytes.get() / Math.max(1, issued.size()) >> 10);
            start = System.nanoTime();
            long streamed = new VendorCallStream(dsl).read(vendor, NOVEMBER.start(), NOVEMBER.end(), legs -> {
                long n = 0;
                while (legs.hasNext()) {
                    legs.next();
                    n++;
                }
                return n;
            });
            double cursor = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "our side of a reconciliation: %,d vendor calls streamed in order in %.1f s (%,.0f rows/s)%n",
                    streamed, cursor, streamed / cursor);
        }
    }
}
