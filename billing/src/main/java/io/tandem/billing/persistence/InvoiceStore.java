package io.tandem.billing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CDR;
import static io.tandem.db.jooq.Tables.INVOICE;
import static io.tandem.db.jooq.Tables.INVOICE_LINE;
import static io.tandem.db.jooq.Tables.INVOICE_PROFILE;
import static io.tandem.db.jooq.Tables.INVOICE_SERIES;
import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;
import static io.tandem.db.jooq.Tables.RATE;
import static io.tandem.db.jooq.Tables.RATE_DECK;

import io.tandem.billing.account.LedgerEntryKind;
import io.tandem.billing.account.LedgerPosting;
import io.tandem.billing.account.Money;
import io.tandem.billing.account.PostingResult;
import io.tandem.billing.invoicing.Invoice;
import io.tandem.billing.invoicing.InvoiceKind;
import io.tandem.billing.invoicing.InvoiceLine;
import io.tandem.billing.invoicing.InvoiceLineKind;
import io.tandem.billing.invoicing.InvoicePeriod;
import io.tandem.billing.invoicing.InvoiceProfile;
import io.tandem.billing.invoicing.UsageTally;
import io.tandem.billing.invoicing.VendorStatement;
import io.tandem.db.jooq.tables.records.AccountRecord;
import io.tandem.db.jooq.tables.records.InvoiceRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record5;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Issues invoices and credit notes from the ledger, and keeps them. An issued document is never updated.
 *
 * <p><b>Gapless numbers.</b> Each series has one {@code invoice_series} row. Issuing locks the account row,
 * then the series row ({@code SELECT ... FOR UPDATE}), takes {@code next_number}, increments it and inserts
 * the document in the same transaction. A failed issue rolls the counter back with it, so no number is ever
 * skipped, whatever number of nodes issue at once; they simply queue on the series row for the few
 * milliseconds of the insert. Lock order is always account, then series (settlement locks only accounts),
 * so issuing cannot deadlock with settlement or with another issuer.
 *
 * <p><b>Ledger totals.</b> The figures are sums of {@code ledger_entry} rows by {@code created_at} in
 * {@code [start, end)}: opening = entries before start, closing = entries before end, and every entry of
 * the period lands on exactly one line, so {@code opening + lines == closing} to the micro-unit. Usage lines
 * group the period's {@code call} entries by the sell prefix of the call's answered CDR.
 */
public final class InvoiceStore {

    /** Rows per round trip while tallying a period's calls. */
    static final int FETCH_SIZE = 2000;

    private final DSLContext dsl;
    private final Clock clock;
    private final AccountLedger ledger;

    public InvoiceStore(DSLContext dsl, Clock clock, AccountLedger ledger) {
        this.dsl = dsl;
        this.clock = clock;
        this.ledger = ledger;
    }

    /** What {@link #issue} did. */
    public sealed interface IssueResult {
        record Issued(Invoice invoice) implements IssueResult {
        }

        /** The account's invoice for that period exists already; issuing is idempotent per account and period. */
        record AlreadyIssued(Invoice invoice) implements IssueResult {
        }

        record UnknownAccount(long accountId) implements IssueResult {
        }

        /** A period is invoiced only once it is over: its ledger may still change. */
        record PeriodNotOver(Instant end) implements IssueResult {
        }
    }

    /** What {@link #creditNote} did. */
    public sealed interface CreditResult {
        record Issued(Invoice creditNote) implements CreditResult {
        }

        record UnknownInvoice(long invoiceId) implements CreditResult {
        }

        /** The credit would exceed what the invoice charged, less the credit notes already issued against it. */
        record ExceedsInvoice(BigDecimal creditable) implements CreditResult {
        }
    }

    // ------------------------------------------------------------------------------------------ profiles

    public InvoiceProfile profile(long accountId) {
        return profile(dsl, accountId);
    }

    private static InvoiceProfile profile(DSLContext tx, long accountId) {
        return tx.selectFrom(INVOICE_PROFILE).where(INVOICE_PROFILE.ACCOUNT_ID.eq(accountId)).fetchOptional()
                .map(r -> new InvoiceProfile(accountId, r.getSeries(), r.getCycleMonths(), r.getTaxLabel(), Money.round(r.getTaxRate())))
                .orElseGet(() -> InvoiceProfile.defaults(accountId));
    }

    /** Stores a profile (validated by the caller with {@link InvoiceProfile#problems()}) and creates its series. */
    public void saveProfile(InvoiceProfile profile, String actor) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.insertInto(INVOICE_SERIES, INVOICE_SERIES.SERIES, INVOICE_SERIES.NEXT_NUMBER)
                    .values(profile.series(), 1L).onDuplicateKeyIgnore().execute();
            int updated = tx.update(INVOICE_PROFILE)
                    .set(INVOICE_PROFILE.SERIES, profile.series())
                    .set(INVOICE_PROFILE.CYCLE_MONTHS, profile.cycleMonths())
                    .set(INVOICE_PROFILE.TAX_LABEL, profile.taxLabel())
                    .set(INVOICE_PROFILE.TAX_RATE, profile.taxRate())
                    .set(INVOICE_PROFILE.UPDATED_BY, actor)
                    .set(INVOICE_PROFILE.UPDATED_AT, clock.instant())
                    .where(INVOICE_PROFILE.ACCOUNT_ID.eq(profile.accountId()))
                    .execute();
            if (updated == 0) {
                tx.insertInto(INVOICE_PROFILE)
                        .set(INVOICE_PROFILE.ACCOUNT_ID, profile.accountId())
                        .set(INVOICE_PROFILE.SERIES, profile.series())
                        .set(INVOICE_PROFILE.CYCLE_MONTHS, profile.cycleMonths())
                        .set(INVOICE_PROFILE.TAX_LABEL, profile.taxLabel())
                        .set(INVOICE_PROFILE.TAX_RATE, profile.taxRate())
                        .set(INVOICE_PROFILE.UPDATED_BY, actor)
                        .set(INVOICE_PROFILE.UPDATED_AT, clock.instant())
                        .execute();
            }
        });
    }

    /** Ids of the accounts that are invoiced (customers, and accounts that are both), in id order. */
    public List<Long> invoicedAccounts() {
        return dsl.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.KIND.in("customer", "both")).orderBy(ACCOUNT.ID)
                .fetch(ACCOUNT.ID);
    }

    // ------------------------------------------------------------------------------------------ issuing

    /** Issues the account's invoice for a period that is over; blocking (run it off any event loop). */
    public IssueResult issue(long accountId, InvoicePeriod period, String actor) {
        if (period.end().isAfter(clock.instant())) {
            return new IssueResult.PeriodNotOver(period.end());
        }
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            AccountRecord account = tx.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(accountId)).forUpdate().fetchOne();
            if (account == null) {
                return new IssueResult.UnknownAccount(accountId);
            }
            Long existing = tx.select(INVOICE.ID).from(INVOICE)
                    .where(INVOICE.ACCOUNT_ID.eq(accountId))
                    .and(INVOICE.PERIOD_START.eq(period.start()))
                    .and(INVOICE.KIND.eq(InvoiceKind.INVOICE.code()))
                    .fetchOne(INVOICE.ID);
            if (existing != null) {
                return new IssueResult.AlreadyIssued(find(tx, existing).orElseThrow());
            }
            InvoiceProfile profile = profile(tx, accountId);
            BigDecimal opening = ledgerSum(tx, accountId, LEDGER_ENTRY.CREATED_AT.lt(period.start()));
            BigDecimal closing = ledgerSum(tx, accountId, LEDGER_ENTRY.CREATED_AT.lt(period.end()));

            List<InvoiceLine> lines = new ArrayList<>(usageLines(tx, accountId, period));
            BigDecimal usage = lines.stream().map(InvoiceLine::amount).reduce(Money.ZERO, BigDecimal::add);
            BigDecimal callEntries = ledgerSum(tx, accountId, inPeriod(period).and(LEDGER_ENTRY.KIND.eq(LedgerEntryKind.CALL.code())));
            if (usage.compareTo(callEntries) != 0) {
                throw new IllegalStateException("usage lines of account " + accountId + " sum to " + usage
                        + " but its call entries to " + callEntries + ": a call has more than one answered CDR");
            }
            List<InvoiceLine> others = otherLines(tx, accountId, period);
            lines.addAll(others);
            BigDecimal topups = others.stream().filter(l -> l.kind() == InvoiceLineKind.TOPUP)
                    .map(InvoiceLine::amount).reduce(Money.ZERO, BigDecimal::add);
            BigDecimal adjustments = others.stream().filter(l -> l.kind() != InvoiceLineKind.TOPUP)
                    .map(InvoiceLine::amount).reduce(Money.ZERO, BigDecimal::add);
            if (opening.add(usage).add(topups).add(adjustments).compareTo(closing) != 0) {
                throw new IllegalStateException("invoice of account " + accountId + " does not add up: " + opening
                        + " + " + usage + " + " + topups + " + " + adjustments + " != " + closing);
            }
            BigDecimal charges = usage.negate();
            BigDecimal tax = Money.round(charges.multiply(profile.taxRate()));
            long number = nextNumber(tx, profile.series());
            Instant now = clock.instant();
            InvoiceRecord row = tx.newRecord(INVOICE);
            row.setSeries(profile.series());
            row.setDocNumber(number);
            row.setKind(InvoiceKind.INVOICE.code());
            row.setAccountId(accountId);
            row.setAccountName(account.getName());
            row.setCurrency(account.getCurrency());
            row.setPeriodStart(period.start());
            row.setPeriodEnd(period.end());
            row.setOpeningBalance(opening);
            row.setClosingBalance(closing);
            row.setUsageAmount(usage);
            row.setTopupAmount(topups);
            row.setAdjustmentAmount(adjustments);
            row.setTaxLabel(profile.taxLabel());
            row.setTaxRate(profile.taxRate());
            row.setTaxAmount(tax);
            row.setTotalDue(charges.add(tax));
            row.setReason("");
            row.setIssuedBy(actor);
            row.setIssuedAt(now);
            row.setIssueKey(accountId + ":" + period.start().toEpochMilli());
            row.store();
            insertLines(tx, row.getId(), lines);
            return new IssueResult.Issued(toInvoice(row, lines));
        });
    }

    /**
     * Issues a credit note of {@code amount} (positive) against an invoice and credits the account's balance
     * with it (a ledger {@code adjustment}, idempotency key {@code credit-note:<number>}) in the same transaction.
     */
    public CreditResult creditNote(long invoiceId, BigDecimal amount, String reason, String actor) {
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("a credit note credits a positive amount: " + amount);
        }
        BigDecimal credit = Money.round(amount);
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            InvoiceRecord original = tx.selectFrom(INVOICE).where(INVOICE.ID.eq(invoiceId))
                    .and(INVOICE.KIND.eq(InvoiceKind.INVOICE.code())).fetchOne();
            if (original == null) {
                return new CreditResult.UnknownInvoice(invoiceId);
            }
            tx.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.ID.eq(original.getAccountId())).forUpdate().fetch();
            BigDecimal credited = tx.select(DSL.coalesce(DSL.sum(INVOICE.ADJUSTMENT_AMOUNT), BigDecimal.ZERO)).from(INVOICE)
                    .where(INVOICE.CORRECTS_ID.eq(invoiceId)).fetchSingle().value1();
            BigDecimal creditable = original.getTotalDue().subtract(credited);
            if (credit.compareTo(creditable) > 0) {
                return new CreditResult.ExceedsInvoice(Money.round(creditable));
            }
            long number = nextNumber(tx, InvoiceProfile.CREDIT_NOTE_SERIES);
            String documentNumber = Invoice.documentNumber(InvoiceProfile.CREDIT_NOTE_SERIES, number);
            String originalNumber = Invoice.documentNumber(original.getSeries(), original.getDocNumber());
            BigDecimal before = tx.select(ACCOUNT.BALANCE).from(ACCOUNT).where(ACCOUNT.ID.eq(original.getAccountId())).fetchSingle().value1();
            PostingResult posted = ledger.post(tx, new LedgerPosting(original.getAccountId(), LedgerEntryKind.ADJUSTMENT, credit,
                    documentNumber + " corrects " + originalNumber, actor, "credit-note:" + documentNumber, null));
            if (!(posted instanceof PostingResult.Posted done)) {
                throw new IllegalStateException("credit note " + documentNumber + " could not be posted: " + posted);
            }
            List<InvoiceLine> lines = List.of(new InvoiceLine(InvoiceLineKind.CREDIT, "",
                    "Credit on " + originalNumber + ": " + reason, 0, 0, credit));
            InvoiceRecord row = tx.newRecord(INVOICE);
            row.setSeries(InvoiceProfile.CREDIT_NOTE_SERIES);
            row.setDocNumber(number);
            row.setKind(InvoiceKind.CREDIT_NOTE.code());
            row.setAccountId(original.getAccountId());
            row.setAccountName(original.getAccountName());
            row.setCurrency(original.getCurrency());
            row.setPeriodStart(original.getPeriodStart());
            row.setPeriodEnd(original.getPeriodEnd());
            row.setOpeningBalance(before);
            row.setClosingBalance(done.entry().balanceAfter());
            row.setUsageAmount(Money.ZERO);
            row.setTopupAmount(Money.ZERO);
            row.setAdjustmentAmount(credit);
            row.setTaxLabel(original.getTaxLabel());
            row.setTaxRate(original.getTaxRate());
            row.setTaxAmount(Money.ZERO);
            row.setTotalDue(credit.negate());
            row.setCorrectsId(invoiceId);
            row.setReason(reason);
            row.setIssuedBy(actor);
            row.setIssuedAt(clock.instant());
            row.store();
            insertLines(tx, row.getId(), lines);
            return new CreditResult.Issued(toInvoice(row, lines));
        });
    }

    private static long nextNumber(DSLContext tx, String series) {
        // Lock first, insert only when the row is missing: on InnoDB an INSERT IGNORE that meets the row takes a
        // shared lock on it, and two issuers each holding one would deadlock on the FOR UPDATE that follows.
        Long next = tx.select(INVOICE_SERIES.NEXT_NUMBER).from(INVOICE_SERIES)
                .where(INVOICE_SERIES.SERIES.eq(series)).forUpdate().fetchOne(INVOICE_SERIES.NEXT_NUMBER);
        if (next == null) {
            tx.insertInto(INVOICE_SERIES, INVOICE_SERIES.SERIES, INVOICE_SERIES.NEXT_NUMBER)
                    .values(series, 1L).onDuplicateKeyIgnore().execute();
            next = tx.select(INVOICE_SERIES.NEXT_NUMBER).from(INVOICE_SERIES)
                    .where(INVOICE_SERIES.SERIES.eq(series)).forUpdate().fetchSingle().value1();
        }
        long number = next;
        tx.update(INVOICE_SERIES).set(INVOICE_SERIES.NEXT_NUMBER, number + 1)
                .where(INVOICE_SERIES.SERIES.eq(series)).execute();
        return number;
    }

    private static Condition inPeriod(InvoicePeriod period) {
        return LEDGER_ENTRY.CREATED_AT.ge(period.start()).and(LEDGER_ENTRY.CREATED_AT.lt(period.end()));
    }

    private static BigDecimal ledgerSum(DSLContext tx, long accountId, Condition condition) {
        BigDecimal sum = tx.select(DSL.sum(LEDGER_ENTRY.AMOUNT)).from(LEDGER_ENTRY)
                .where(LEDGER_ENTRY.ACCOUNT_ID.eq(accountId)).and(condition).fetchSingle().value1();
        return sum == null ? Money.ZERO : Money.round(sum);
    }

    /**
     * The period's call entries, each with its call's answered CDR, tallied per sell prefix while they stream
     * past (memory grows with the number of destinations, not of calls).
     */
    private static List<InvoiceLine> usageLines(DSLContext tx, long accountId, InvoicePeriod period) {
        UsageTally tally = new UsageTally();
        try (Cursor<Record5<String, Integer, Integer, Integer, BigDecimal>> cursor = tx
                .select(CDR.SELL_PREFIX, CDR.BILLSEC, CDR.SELL_INITIAL, CDR.SELL_NEXT, LEDGER_ENTRY.AMOUNT)
                .from(LEDGER_ENTRY)
                .leftJoin(CDR).on(CDR.CALL_UUID.eq(LEDGER_ENTRY.CALL_UUID)).and(CDR.ANSWERED_AT.isNotNull())
                .where(LEDGER_ENTRY.ACCOUNT_ID.eq(accountId))
                .and(LEDGER_ENTRY.KIND.eq(LedgerEntryKind.CALL.code()))
                .and(inPeriod(period))
                .fetchSize(fetchSize(tx))
                .fetchLazy()) {
            for (var row : cursor) {
                tally.add(row.value1(), row.value2() == null ? 0 : row.value2(), row.value3() == null ? 0 : row.value3(),
                        row.value4() == null ? 1 : row.value4(), row.value5());
            }
        }
        Map<String, String> names = destinationNames(tx, accountId, tally.prefixes());
        return tally.lines(InvoiceLineKind.USAGE, names);
    }

    private static int fetchSize(DSLContext tx) {
        return tx.dialect().family() == SQLDialect.MYSQL || tx.dialect().family() == SQLDialect.MARIADB
                ? Integer.MIN_VALUE : FETCH_SIZE;
    }

    /** Destination names of the prefixes in the account's sell decks (the newest name wins). */
    private static Map<String, String> destinationNames(DSLContext tx, long accountId, List<String> prefixes) {
        Map<String, String> names = new java.util.HashMap<>();
        for (int i = 0; i < prefixes.size(); i += 500) {
            List<String> chunk = prefixes.subList(i, Math.min(prefixes.size(), i + 500));
            tx.select(RATE.PREFIX, DSL.max(RATE.DESTINATION)).from(RATE)
                    .join(RATE_DECK).on(RATE_DECK.ID.eq(RATE.DECK_ID))
                    .where(RATE_DECK.ACCOUNT_ID.eq(accountId)).and(RATE_DECK.DIRECTION.eq("sell"))
                    .and(RATE.PREFIX.in(chunk))
                    .groupBy(RATE.PREFIX)
                    .forEach(r -> names.put(r.value1(), r.value2()));
        }
        return names;
    }

    /** Top-ups, adjustments and opening entries one line each; re-rating as one line. */
    private static List<InvoiceLine> otherLines(DSLContext tx, long accountId, InvoicePeriod period) {
        List<InvoiceLine> lines = new ArrayList<>();
        DateTimeFormatter day = DateTimeFormatter.ISO_LOCAL_DATE.withZone(java.time.ZoneOffset.UTC);
        tx.select(LEDGER_ENTRY.KIND, LEDGER_ENTRY.AMOUNT, LEDGER_ENTRY.REFERENCE, LEDGER_ENTRY.CREATED_AT)
                .from(LEDGER_ENTRY)
                .where(LEDGER_ENTRY.ACCOUNT_ID.eq(accountId))
                .and(LEDGER_ENTRY.KIND.in(LedgerEntryKind.TOPUP.code(), LedgerEntryKind.ADJUSTMENT.code(), LedgerEntryKind.OPENING.code()))
                .and(inPeriod(period))
                .orderBy(LEDGER_ENTRY.CREATED_AT, LEDGER_ENTRY.ID)
                .forEach(r -> {
                    InvoiceLineKind kind = InvoiceLineKind.ofCode(r.value1());
                    String reference = r.value3() == null ? "" : r.value3();
                    String description = day.format(r.value4()) + (reference.isBlank() ? "" : " " + reference);
                    lines.add(new InvoiceLine(kind, "", truncate(description, 255), 0, 0, Money.round(r.value2())));
                });
        var rerate = tx.select(DSL.count(), DSL.sum(LEDGER_ENTRY.AMOUNT)).from(LEDGER_ENTRY)
                .where(LEDGER_ENTRY.ACCOUNT_ID.eq(accountId))
                .and(LEDGER_ENTRY.KIND.eq(LedgerEntryKind.RERATE.code()))
                .and(inPeriod(period)).fetchSingle();
        if (rerate.value1() > 0) {
            lines.add(new InvoiceLine(InvoiceLineKind.RERATE, "", "Re-rating (" + rerate.value1() + " entries)", 0, 0,
                    Money.round(rerate.value2())));
        }
        return lines;
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static void insertLines(DSLContext tx, long invoiceId, List<InvoiceLine> lines) {
        for (int from = 0; from < lines.size(); from += 500) {
            var insert = tx.insertInto(INVOICE_LINE, INVOICE_LINE.INVOICE_ID, INVOICE_LINE.LINE_NO, INVOICE_LINE.KIND,
                    INVOICE_LINE.PREFIX, INVOICE_LINE.DESCRIPTION, INVOICE_LINE.CALLS, INVOICE_LINE.BILLED_SECONDS, INVOICE_LINE.AMOUNT);
            for (int i = from; i < Math.min(lines.size(), from + 500); i++) {
                InvoiceLine line = lines.get(i);
                insert = insert.values(invoiceId, i + 1, line.kind().code(), line.prefix(), truncate(line.description(), 255),
                        line.calls(), line.billedSeconds(), line.amount());
            }
            insert.execute();
        }
    }

    // ------------------------------------------------------------------------------------------ reading

    public Optional<Invoice> find(long invoiceId) {
        return find(dsl, invoiceId);
    }

    private static Optional<Invoice> find(DSLContext tx, long invoiceId) {
        InvoiceRecord row = tx.selectFrom(INVOICE).where(INVOICE.ID.eq(invoiceId)).fetchOne();
        if (row == null) {
            return Optional.empty();
        }
        List<InvoiceLine> lines = tx.selectFrom(INVOICE_LINE).where(INVOICE_LINE.INVOICE_ID.eq(invoiceId))
                .orderBy(INVOICE_LINE.LINE_NO)
                .fetch(l -> new InvoiceLine(InvoiceLineKind.ofCode(l.getKind()), l.getPrefix(), l.getDescription(),
                        l.getCalls(), l.getBilledSeconds(), Money.round(l.getAmount())));
        return Optional.of(toInvoice(row, lines));
    }

    /**
     * Documents newest first, without their lines; {@code accountId} null = every account. A partner view
     * passes its own account id here and so never sees another account's documents.
     */
    public List<Invoice> list(Long accountId, int offset, int limit) {
        Condition condition = accountId == null ? DSL.trueCondition() : INVOICE.ACCOUNT_ID.eq(accountId);
        return dsl.selectFrom(INVOICE).where(condition).orderBy(INVOICE.ID.desc()).offset(offset).limit(limit)
                .fetch(r -> toInvoice(r, List.of()));
    }

    /** Every number issued in a series, ascending (for audits of the numbering). */
    public List<Long> numbers(String series) {
        return dsl.select(INVOICE.DOC_NUMBER).from(INVOICE).where(INVOICE.SERIES.eq(series)).orderBy(INVOICE.DOC_NUMBER)
                .fetch(INVOICE.DOC_NUMBER);
    }

    private static Invoice toInvoice(InvoiceRecord r, List<InvoiceLine> lines) {
        return new Invoice(r.getId(), r.getSeries(), r.getDocNumber(), InvoiceKind.ofCode(r.getKind()), r.getAccountId(),
                r.getAccountName(), r.getCurrency(), new InvoicePeriod(r.getPeriodStart(), r.getPeriodEnd()),
                Money.round(r.getOpeningBalance()), Money.round(r.getClosingBalance()), Money.round(r.getUsageAmount()),
                Money.round(r.getTopupAmount()), Money.round(r.getAdjustmentAmount()), r.getTaxLabel(),
                Money.round(r.getTaxRate()), Money.round(r.getTaxAmount()), Money.round(r.getTotalDue()), r.getCorrectsId(),
                r.getReason(), r.getIssuedBy(), r.getIssuedAt(), lines);
    }

    // ------------------------------------------------------------------------------------------ vendor statements

    /**
     * What the carrier owes a vendor for a period: the buy side of the vendor's answered CDRs that started in
     * it, per buy prefix, with billed seconds rounded to the buy rate's increments.
     */
    public Optional<VendorStatement> vendorStatement(long vendorAccountId, InvoicePeriod period) {
        AccountRecord vendor = dsl.selectFrom(ACCOUNT).where(ACCOUNT.ID.eq(vendorAccountId)).fetchOne();
        if (vendor == null) {
            return Optional.empty();
        }
        UsageTally tally = new UsageTally();
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            try (var cursor = tx.select(CDR.BUY_PREFIX, CDR.BILLSEC, CDR.BUY_INITIAL, CDR.BUY_NEXT, CDR.BUY_COST)
                    .from(CDR)
                    .where(CDR.VENDOR_ACCOUNT_ID.eq(vendorAccountId))
                    .and(CDR.STARTED_AT.ge(period.start())).and(CDR.STARTED_AT.lt(period.end()))
                    .and(CDR.ANSWERED_AT.isNotNull())
                    .fetchSize(fetchSize(tx))
                    .fetchLazy()) {
                for (var row : cursor) {
                    tally.add(row.value1(), row.value2(), row.value3() == null ? 0 : row.value3(),
                            row.value4() == null ? 1 : row.value4(), row.value5());
                }
            }
        });
        List<InvoiceLine> lines = tally.lines(InvoiceLineKind.USAGE, Map.of());
        BigDecimal total = lines.stream().map(InvoiceLine::amount).reduce(Money.ZERO, BigDecimal::add);
        return Optional.of(new VendorStatement(vendorAccountId, vendor.getName(), vendor.getCurrency(), period, lines, total,
                clock.instant()));
    }
}
