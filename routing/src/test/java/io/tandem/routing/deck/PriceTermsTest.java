package io.tandem.routing.deck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the notice refusal and the preview say rose: each term with its old and new value. */
class PriceTermsTest {

    private static final PriceTerms BEFORE = new PriceTerms(10_000, 10_000, 30, 6, 5);

    @Test
    void aConnectFeeIncreaseIsNamedWithBothFees() {
        PriceTerms after = new PriceTerms(10_000, 20_000, 30, 6, 5);

        assertThat(after.compareCostTo(BEFORE)).isPositive();
        assertThat(after.risesSince(BEFORE)).containsExactly("connect fee increase from 0.010000 to 0.020000");
    }

    @Test
    void eachTermThatRoseIsNamedAndTermsThatFellAreNot() {
        assertThat(new PriceTerms(12_000, 10_000, 30, 6, 5).risesSince(BEFORE))
                .containsExactly("rate increase from 0.010000 to 0.012000");
        assertThat(new PriceTerms(10_000, 10_000, 60, 60, 5).risesSince(BEFORE))
                .containsExactly("increments increase from 30/6 to 60/60");
        assertThat(new PriceTerms(10_000, 10_000, 30, 6, 0).risesSince(BEFORE))
                .containsExactly("grace time cut from 5 s to 0 s");
        assertThat(new PriceTerms(9_000, 30_000, 30, 30, -1).risesSince(BEFORE)).containsExactly(
                "connect fee increase from 0.010000 to 0.030000", "increments increase from 30/6 to 30/30",
                "grace time cut from 5 s to the deck's");
        assertThat(new PriceTerms(9_000, 0, 1, 1, 5).risesSince(BEFORE)).isEmpty();
    }
}
