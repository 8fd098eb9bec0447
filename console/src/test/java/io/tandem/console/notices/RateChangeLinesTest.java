package io.tandem.console.notices;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.routing.deck.CurrentRate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lines of a notice from a deck before and after a change, one kind of change per test. */
class RateChangeLinesTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final Instant LATER = Instant.parse("2026-12-13T12:00:00Z");

    static CurrentRate rate(long id, String prefix, long micros, Instant from, Instant until) {
        return new CurrentRate(id, prefix, "Dest " + prefix, micros, 0, 60, 60, from, until, false);
    }

    @Test
    void anIncreaseScheduledLaterFollowsThePeriodItEnds() {
        List<NoticeLine> lines = RateChangeLines.between(List.of(rate(1, "44", 10_000, T0, null)),
                List.of(rate(1, "44", 10_000, T0, LATER), rate(2, "44", 15_000, LATER, null)), NOW);

        assertThat(lines).containsExactly(new NoticeLine(NoticeLine.Change.INCREASE, "44", "Dest 44", 10_000L, 15_000L, 0L, 60, 60, LATER));
    }

    @Test
    void aDecreaseInForceAtOnceIsComparedWithThePeriodThatEndedBeforeNow() {
        List<NoticeLine> lines = RateChangeLines.between(List.of(rate(1, "49", 20_000, T0, null)),
                List.of(rate(2, "49", 15_000, NOW, null)), NOW);

        assertThat(lines).extracting(NoticeLine::change, NoticeLine::oldRateMicros, NoticeLine::newRateMicros)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(NoticeLine.Change.DECREASE, 20_000L, 15_000L));
    }

    @Test
    void aCodeWithoutPredecessorIsNewAndACodeWithNothingLeftIsClosedNow() {
        List<NoticeLine> lines = RateChangeLines.between(List.of(rate(1, "33", 30_000, T0, null)),
                List.of(rate(2, "34", 50_000, NOW, null)), NOW);

        assertThat(lines).extracting(NoticeLine::change, NoticeLine::prefix, NoticeLine::effectiveFrom).containsExactly(
                org.assertj.core.groups.Tuple.tuple(NoticeLine.Change.CLOSED, "33", NOW),
                org.assertj.core.groups.Tuple.tuple(NoticeLine.Change.NEW, "34", NOW));
    }

    @Test
    void aCodeClosingLaterIsClosedAtItsEndAndUnchangedCodesAreNotMentioned() {
        List<NoticeLine> lines = RateChangeLines.between(List.of(rate(1, "33", 30_000, T0, null), rate(3, "1", 1_000, T0, null)),
                List.of(rate(1, "33", 30_000, T0, LATER), rate(3, "1", 1_000, T0, null)), NOW);

        assertThat(lines).containsExactly(new NoticeLine(NoticeLine.Change.CLOSED, "33", "Dest 33", 30_000L, null, null, null, null, LATER));
    }
}
