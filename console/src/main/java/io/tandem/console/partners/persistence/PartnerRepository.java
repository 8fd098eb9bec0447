package io.tandem.console.partners.persistence;

import static io.tandem.db.jooq.Tables.DECK_SUBMISSION;
import static io.tandem.db.jooq.Tables.PARTNER_TERMS;

import io.tandem.console.partners.DeckSubmission;
import io.tandem.console.partners.PartnerTerms;
import io.tandem.db.jooq.tables.records.DeckSubmissionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Partner terms per account and vendors' deck submissions. */
public class PartnerRepository {

    private final DSLContext dsl;

    public PartnerRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The account's terms; review and no notice address when none were set. */
    public PartnerTerms terms(long accountId) {
        return dsl.selectFrom(PARTNER_TERMS).where(PARTNER_TERMS.ACCOUNT_ID.eq(accountId)).fetchOptional()
                .map(r -> new PartnerTerms(accountId, PartnerTerms.SubmissionPolicy.ofCode(r.getSubmissionPolicy()), r.getNoticeEmail(),
                        r.getInvoiceEmail()))
                .orElse(new PartnerTerms(accountId, PartnerTerms.SubmissionPolicy.REVIEW, "", ""));
    }

    /** Inserts or replaces the account's terms (update first: the row exists after the first save). */
    public void saveTerms(PartnerTerms terms, Instant now) {
        dsl.transaction(cfg -> {
            int updated = cfg.dsl().update(PARTNER_TERMS)
                    .set(PARTNER_TERMS.SUBMISSION_POLICY, terms.submissionPolicy().code())
                    .set(PARTNER_TERMS.NOTICE_EMAIL, terms.noticeEmail())
                    .set(PARTNER_TERMS.INVOICE_EMAIL, terms.invoiceEmail())
                    .set(PARTNER_TERMS.UPDATED_AT, now)
                    .where(PARTNER_TERMS.ACCOUNT_ID.eq(terms.accountId())).execute();
            if (updated == 0) {
                cfg.dsl().insertInto(PARTNER_TERMS)
                        .set(PARTNER_TERMS.ACCOUNT_ID, terms.accountId())
                        .set(PARTNER_TERMS.SUBMISSION_POLICY, terms.submissionPolicy().code())
                        .set(PARTNER_TERMS.NOTICE_EMAIL, terms.noticeEmail())
                        .set(PARTNER_TERMS.INVOICE_EMAIL, terms.invoiceEmail())
                        .set(PARTNER_TERMS.UPDATED_AT, now).execute();
            }
        });
    }

    public DeckSubmission insertSubmission(long accountId, long deckId, long importId, int earlyIncreases, String by, Instant now) {
        long id = dsl.insertInto(DECK_SUBMISSION)
                .set(DECK_SUBMISSION.ACCOUNT_ID, accountId)
                .set(DECK_SUBMISSION.DECK_ID, deckId)
                .set(DECK_SUBMISSION.IMPORT_ID, importId)
                .set(DECK_SUBMISSION.STATUS, DeckSubmission.Status.UPLOADED.code())
                .set(DECK_SUBMISSION.EARLY_INCREASES, earlyIncreases)
                .set(DECK_SUBMISSION.SUBMITTED_BY, by)
                .set(DECK_SUBMISSION.SUBMITTED_AT, now)
                .returningResult(DECK_SUBMISSION.ID).fetchSingle(DECK_SUBMISSION.ID);
        return find(id).orElseThrow();
    }

    public Optional<DeckSubmission> find(long id) {
        return dsl.selectFrom(DECK_SUBMISSION).where(DECK_SUBMISSION.ID.eq(id)).fetchOptional().map(PartnerRepository::toSubmission);
    }

    /** Newest first; null filters match everything. */
    public List<DeckSubmission> list(Long accountId, DeckSubmission.Status status, int offset, int limit) {
        Condition where = DSL.noCondition();
        if (accountId != null) {
            where = where.and(DECK_SUBMISSION.ACCOUNT_ID.eq(accountId));
        }
        if (status != null) {
            where = where.and(DECK_SUBMISSION.STATUS.eq(status.code()));
        }
        return dsl.selectFrom(DECK_SUBMISSION).where(where).orderBy(DECK_SUBMISSION.SUBMITTED_AT.desc(), DECK_SUBMISSION.ID.desc())
                .offset(offset).limit(limit).fetch(PartnerRepository::toSubmission);
    }

    /**
     * Moves a submission on from {@code from} only (a guarded UPDATE: of two operators deciding at once, one wins).
     *
     * @return whether this call moved it
     */
    public boolean move(long id, DeckSubmission.Status from, DeckSubmission.Status to, String decidedBy, Instant at, String reason,
                        boolean overridden) {
        var update = dsl.update(DECK_SUBMISSION).set(DECK_SUBMISSION.STATUS, to.code());
        if (decidedBy != null) {
            update.set(DECK_SUBMISSION.DECIDED_BY, decidedBy).set(DECK_SUBMISSION.DECIDED_AT, at);
        }
        return update.set(DECK_SUBMISSION.REASON, reason == null ? "" : reason)
                .set(DECK_SUBMISSION.OVERRIDDEN, overridden)
                .where(DECK_SUBMISSION.ID.eq(id)).and(DECK_SUBMISSION.STATUS.eq(from.code())).execute() == 1;
    }

    private static DeckSubmission toSubmission(DeckSubmissionRecord r) {
        return new DeckSubmission(r.getId(), r.getAccountId(), r.getDeckId(), r.getImportId(), DeckSubmission.Status.ofCode(r.getStatus()),
                r.getEarlyIncreases(), r.getSubmittedBy(), r.getSubmittedAt(), r.getDecidedBy(), r.getDecidedAt(), r.getReason(),
                Boolean.TRUE.equals(r.getOverridden()));
    }
}
