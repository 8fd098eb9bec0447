package io.tandem.routing.deck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeckDiffTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant DEC_1 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant DEC_20 = Instant.parse("2026-12-20T00:00:00Z");
    private static final Instant LAST_YEAR = Instant.parse("2025-11-01T00:00:00Z");

    private static final List<CurrentRate> DECK = List.of(
            current(1, "44", 10_000, LAST_YEAR, null),
            current(2, "33", 20_000, LAST_YEAR, null),
            current(3, "49", 30_000, LAST_YEAR, DEC_20),
            current(4, "49", 35_000, DEC_20, null),
            current(5, "1", 5_000, LAST_YEAR, null));

    private static CurrentRate current(long id, String prefix, long rate, Instant from, Instant until) {
        return new CurrentRate(id, prefix, "dest " + prefix, rate, 0, 60, 60, from, until, false);
    }

    private static DeckRow row(int row, String prefix, long rate, Instant from, RowAction action) {
        return new DeckRow(row, prefix, "dest " + prefix, rate, 0, 60, 60, from, action);
    }

    @Test
    void fullDeckCountsEveryKindAndClosesWhatItLeavesOut() {
        List<DeckRow> upload = List.of(
                row(2, "44", 12_000, null, RowAction.UPSERT),
                row(3, "33", 20_000, null, RowAction.UPSERT),
                row(4, "49", 25_000, null, RowAction.UPSERT),
                row(5, "86", 10_000, null, RowAction.UPSERT));

        DeckDiff diff = DeckDiff.compute(DECK, upload, ImportMode.FULL, DEC_1, NOW, 7);

        assertThat(diff.counts()).isEqualTo(Map.of(DiffKind.NEW, 1, DiffKind.INCREASED, 1, DiffKind.DECREASED, 1,
                DiffKind.UNCHANGED, 1, DiffKind.CLOSED, 1));
        assertThat(diff.samples().get(DiffKind.CLOSED)).extracting(DiffLine::prefix, DiffLine::oldRateMicros)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1", 5_000L));
        assertThat(diff.samples().get(DiffKind.INCREASED).get(0).newRateMicros()).isEqualTo(12_000L);
        assertThat(diff.noticeViolationCount()).as("Dec 1 is more than 7 days away").isZero();
        DeckChangePlan plan = diff.plan();
        assertThat(plan.inserts()).extracting(p -> p.row().prefix()).containsExactly("44", "49", "86");
        assertThat(plan.inserts()).allSatisfy(p -> assertThat(p.effectiveFrom()).isEqualTo(DEC_1));
        assertThat(plan.endAt()).isEqualTo(Map.of(DEC_1, List.of(1L, 3L, 5L)));
        assertThat(plan.deletes()).as("the scheduled 49 rate never takes effect").containsExactly(4L);
        assertThat(plan.noOpPrefixes()).containsExactly("33");
    }

    @Test
    void increaseSoonerThanTheNoticePeriodIsFlagged() {
        Instant soon = NOW.plusSeconds(3 * 86_400);
        DeckDiff diff = DeckDiff.compute(DECK, List.of(row(7, "44", 11_000, soon, RowAction.UPSERT),
                row(8, "33", 19_000, soon, RowAction.UPSERT)), ImportMode.UPDATE, null, NOW, 7);

        assertThat(diff.noticeViolationCount()).isEqualTo(1);
        assertThat(diff.noticeViolations()).extracting(DiffLine::row, DiffLine::prefix, DiffLine::effectiveFrom)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(7, "44", soon));
        assertThat(diff.count(DiffKind.CLOSED)).as("update mode closes nothing it was not told to").isZero();
    }

    @Test
    void aConnectFeeIncreaseInsideTheNoticePeriodIsNamedAsSuch() {
        Instant soon = NOW.plusSeconds(3 * 86_400);
        DeckRow feeUp = new DeckRow(7, "44", "dest 44", 10_000, 20_000, 60, 60, soon, RowAction.UPSERT);
        DeckRow incrementsUp = new DeckRow(8, "33", "dest 33", 20_000, 0, 60, 120, soon, RowAction.UPSERT);

        DeckDiff diff = DeckDiff.compute(DECK, List.of(feeUp, incrementsUp), ImportMode.UPDATE, null, NOW, 7);

        assertThat(diff.noticeViolations()).extracting(DiffLine::prefix, DiffLine::increase).containsExactly(
                org.assertj.core.groups.Tuple.tuple("44", "connect fee increase from 0.000000 to 0.020000"),
                org.assertj.core.groups.Tuple.tuple("33", "increments increase from 60/60 to 60/120"));
    }

    @Test
    void updateClosesOnlyRowsMarkedDeleteAndPastDatesMeanNow() {
        DeckDiff diff = DeckDiff.compute(DECK, List.of(row(2, "1", 0, LAST_YEAR, RowAction.CLOSE),
                row(3, "7", 9_000, LAST_YEAR, RowAction.UPSERT)), ImportMode.UPDATE, null, NOW, 7);

        assertThat(diff.count(DiffKind.CLOSED)).isEqualTo(1);
        assertThat(diff.count(DiffKind.NEW)).isEqualTo(1);
        assertThat(diff.plan().endAt()).isEqualTo(Map.of(NOW, List.of(5L)));
        assertThat(diff.plan().inserts().get(0).effectiveFrom()).isEqualTo(NOW);
    }

    @Test
    void previewShowsTheIncrementsABlankCellTook() {
        String csv = "prefix,destination,rate,connect_fee,initial_increment,next_increment,effective_from,action\n"
                + "44,dest 44,0.010000,0,30,,2026-12-01,\n"
                + "33,dest 33,0.020000,0,,6,2026-12-01,\n";
        ParsedDeck upload = new DeckParser().parse("deck.csv",
                new java.io.ByteArrayInputStream(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)), DeckFormat.CANONICAL);

        DeckDiff diff = DeckDiff.compute(DECK, upload.rows(), ImportMode.UPDATE, null, NOW, 7);

        assertThat(diff.samples().get(DiffKind.DECREASED))
                .extracting(DiffLine::prefix, l -> l.oldTerms().increments(), l -> l.newTerms().increments())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("44", "60/60", "30/60"),
                        org.assertj.core.groups.Tuple.tuple("33", "60/60", "60/6"));
    }
}
