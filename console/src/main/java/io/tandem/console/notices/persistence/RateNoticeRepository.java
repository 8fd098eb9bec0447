package io.tandem.console.notices.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.INGRESS_TRUNK;
import static io.tandem.db.jooq.Tables.RATE_DECK;
import static io.tandem.db.jooq.Tables.RATE_NOTICE;
import static io.tandem.db.jooq.Tables.RATE_NOTICE_LINE;

import io.tandem.console.notices.NoticeLine;
import io.tandem.console.notices.RateNotice;
import io.tandem.db.jooq.tables.records.RateNoticeRecord;
import io.tandem.routing.Micros;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep11;
import org.jooq.Record;

/** Rate-change notices and their lines. */
public class RateNoticeRepository {

    /** Lines per multi-row INSERT: a notice for a whole new deck has one line per code. */
    private static final int INSERT_CHUNK = 1000;

    private final DSLContext dsl;

    public RateNoticeRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * The customer accounts a sell deck prices: its own account when it is a customer, and every account with an
     * ingress trunk priced by it.
     */
    public Set<Long> customersPricedBy(long deckId) {
        Set<Long> accounts = new LinkedHashSet<>();
        dsl.select(ACCOUNT.ID).from(RATE_DECK).join(ACCOUNT).on(ACCOUNT.ID.eq(RATE_DECK.ACCOUNT_ID))
                .where(RATE_DECK.ID.eq(deckId)).and(RATE_DECK.DIRECTION.eq("sell")).and(ACCOUNT.KIND.in("customer", "both"))
                .fetch(ACCOUNT.ID).forEach(accounts::add);
        dsl.selectDistinct(INGRESS_TRUNK.ACCOUNT_ID).from(INGRESS_TRUNK).where(INGRESS_TRUNK.SELL_DECK_ID.eq(deckId))
                .fetch(INGRESS_TRUNK.ACCOUNT_ID).forEach(accounts::add);
        return accounts;
    }

    /** Stores a notice and its lines in one transaction. */
    public RateNotice insert(long accountId, long deckId, Long importId, Instant now, List<NoticeLine> lines, String recipients) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            RateNoticeRecord row = tx.newRecord(RATE_NOTICE);
            row.setAccountId(accountId);
            row.setDeckId(deckId);
            row.setImportId(importId);
            row.setCreatedAt(now);
            row.setFirstEffective(lines.stream().map(NoticeLine::effectiveFrom).min(Instant::compareTo).orElse(now));
            row.setIncreasedCount(count(lines, NoticeLine.Change.INCREASE));
            row.setDecreasedCount(count(lines, NoticeLine.Change.DECREASE));
            row.setNewCount(count(lines, NoticeLine.Change.NEW));
            row.setClosedCount(count(lines, NoticeLine.Change.CLOSED));
            row.setRecipients(recipients);
            row.store();
            long id = row.getId();
            for (int start = 0; start < lines.size(); start += INSERT_CHUNK) {
                InsertValuesStep11<?, Long, Integer, String, String, String, BigDecimal, BigDecimal, BigDecimal, Integer, Integer, Instant>
                        insert = tx.insertInto(RATE_NOTICE_LINE, RATE_NOTICE_LINE.NOTICE_ID, RATE_NOTICE_LINE.LINE_NO,
                        RATE_NOTICE_LINE.CHANGE_KIND, RATE_NOTICE_LINE.PREFIX, RATE_NOTICE_LINE.DESTINATION, RATE_NOTICE_LINE.OLD_RATE,
                        RATE_NOTICE_LINE.NEW_RATE, RATE_NOTICE_LINE.CONNECT_FEE, RATE_NOTICE_LINE.INITIAL_INCREMENT,
                        RATE_NOTICE_LINE.NEXT_INCREMENT, RATE_NOTICE_LINE.EFFECTIVE_FROM);
                for (int i = start; i < Math.min(lines.size(), start + INSERT_CHUNK); i++) {
                    NoticeLine l = lines.get(i);
                    insert = insert.values(id, i + 1, l.change().code(), l.prefix(), truncate(l.destination(), 128), decimal(l.oldRateMicros()),
                            decimal(l.newRateMicros()), decimal(l.connectFeeMicros()), l.initialIncrement(), l.nextIncrement(),
                            l.effectiveFrom());
                }
                insert.execute();
            }
            return toNotice(row);
        });
    }

    public Optional<RateNotice> find(long id) {
        return dsl.selectFrom(RATE_NOTICE).where(RATE_NOTICE.ID.eq(id)).fetchOptional().map(RateNoticeRepository::toNotice);
    }

    /** Newest first; {@code accountId} null = every account. */
    public List<RateNotice> list(Long accountId, int offset, int limit) {
        return dsl.selectFrom(RATE_NOTICE)
                .where(accountId == null ? org.jooq.impl.DSL.noCondition() : RATE_NOTICE.ACCOUNT_ID.eq(accountId))
                .orderBy(RATE_NOTICE.CREATED_AT.desc(), RATE_NOTICE.ID.desc())
                .offset(offset).limit(limit)
                .fetch(RateNoticeRepository::toNotice);
    }

    /** The notice's lines in order, from a cursor. */
    public void streamLines(long noticeId, Consumer<NoticeLine> sink) {
        dsl.transaction(cfg -> {
            try (var cursor = cfg.dsl().selectFrom(RATE_NOTICE_LINE).where(RATE_NOTICE_LINE.NOTICE_ID.eq(noticeId))
                    .orderBy(RATE_NOTICE_LINE.LINE_NO)
                    .fetchSize(cfg.dsl().dialect().family() == org.jooq.SQLDialect.POSTGRES ? 5_000 : Integer.MIN_VALUE)
                    .fetchLazy()) {
                for (Record r : cursor) {
                    sink.accept(toLine(r.into(RATE_NOTICE_LINE)));
                }
            }
        });
    }

    public List<NoticeLine> lines(long noticeId) {
        List<NoticeLine> lines = new ArrayList<>();
        streamLines(noticeId, lines::add);
        return lines;
    }

    public void markMailed(long id, Instant at) {
        dsl.update(RATE_NOTICE).set(RATE_NOTICE.MAILED_AT, at).setNull(RATE_NOTICE.MAIL_ERROR).where(RATE_NOTICE.ID.eq(id)).execute();
    }

    public void markMailFailed(long id, String error) {
        dsl.update(RATE_NOTICE).set(RATE_NOTICE.MAIL_ERROR, truncate(error, 500)).where(RATE_NOTICE.ID.eq(id)).execute();
    }

    private static int count(List<NoticeLine> lines, NoticeLine.Change change) {
        return (int) lines.stream().filter(l -> l.change() == change).count();
    }

    private static BigDecimal decimal(Long micros) {
        return micros == null ? null : Micros.toDecimal(micros);
    }

    private static Long micros(BigDecimal amount) {
        return amount == null ? null : Micros.of(amount);
    }

    private static String truncate(String text, int length) {
        return text == null ? "" : text.length() <= length ? text : text.substring(0, length);
    }

    private static NoticeLine toLine(io.tandem.db.jooq.tables.records.RateNoticeLineRecord r) {
        return new NoticeLine(NoticeLine.Change.ofCode(r.getChangeKind()), r.getPrefix(), r.getDestination(), micros(r.getOldRate()),
                micros(r.getNewRate()), micros(r.getConnectFee()), r.getInitialIncrement(), r.getNextIncrement(), r.getEffectiveFrom());
    }

    private static RateNotice toNotice(RateNoticeRecord r) {
        return new RateNotice(r.getId(), r.getAccountId(), r.getDeckId(), r.getImportId(), r.getCreatedAt(), r.getFirstEffective(),
                r.getIncreasedCount(), r.getDecreasedCount(), r.getNewCount(), r.getClosedCount(), r.getRecipients(), r.getMailedAt(),
                r.getMailError());
    }
}
