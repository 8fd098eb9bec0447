package io.tandem.softswitch.sip.protection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CarriedRatesTest {
    static final long STEP = 100_000_000L;

    final CarriedRates rates = new CarriedRates();
    long now = 1_000 * STEP;

    /** Steps of a limiting spell that shed INVITEs calmly, admitting {@code rate} each, its budget found too much at {@code tooMuchAt}. */
    void limitingSteps(int steps, double rate, double tooMuchAt) {
        for (int i = 0; i < steps; i++) {
            now += STEP;
            rates.step(rate, true, true, true, tooMuchAt, now);
        }
    }

    void openSteps(int steps, double rate) {
        for (int i = 0; i < steps; i++) {
            now += STEP;
            rates.step(rate, true, false, false, Double.NaN, now);
        }
    }

    /**
     * Measured on the README node: a first overload whose budget was cut only at its very start (38 CPS, while the flood's
     * own reading held the loops) and then climbed all along "proved" 191 CPS, and the next overload started there.
     */
    @Test
    void aSpellWhoseBudgetWasNeverFoundTooMuchProvesNoCapacity() {
        openSteps(30, 20);
        limitingSteps(12, 191, 38);

        assertThat(rates.provenCapacity(now)).as("capacity proven by a budget that only climbed").isZero();
        assertThat(rates.startCap(now, 1_000)).as("where the next overload's start is capped: as blind").isEqualTo(1_000.0);
    }

    /**
     * Measured on a fresh node: a 2,000-CPS flood met the JIT, its budget was found too much at 47 CPS and then held 20;
     * the next overload, a 609-CPS load the node carries with ease, started capped at 1.05 x that, 21 CPS, and grew 5 %
     * a step above it: 3,535 of 18,270 calls refused.
     */
    @Test
    void aSpellThatHeldUnderTenCallsAStepProvesNoCapacity() {
        limitingSteps(12, 20, 47);

        assertThat(rates.provenCapacity(now)).as("capacity proven by 20 CPS held").isZero();
        CarriedRates.Start start = rates.start(now, 841, 2_274);
        assertThat(start.perSecond()).as("the next overload's start, carrying 841 CPS: blind, a quarter of that")
            .isCloseTo(210.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(start.proven()).isZero();
    }

    @Test
    void aSpellThatHeldARateBelowWhereItsBudgetWasTooMuchProvesIt() {
        openSteps(30, 600);
        limitingSteps(12, 1_700, 2_000);

        assertThat(rates.provenCapacity(now)).as("1.05 x the rate held").isCloseTo(1_785.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(rates.startCap(now, 1_000)).isCloseTo(1_785.0, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void aNodeThatCarriedAHundredCallsASecondOpenCapsItsStartAtTwiceThatAndOneThatCarriedTwentyDoesNot() {
        openSteps(30, 100);
        assertThat(rates.startCap(now, 1_500)).isEqualTo(200.0);

        CarriedRates idle = new CarriedRates();
        for (int i = 0; i < 30; i++) {
            idle.step(20, true, false, false, Double.NaN, now + i * STEP);
        }
        assertThat(idle.startCap(now + 30 * STEP, 1_500)).isEqualTo(1_500.0);
    }
}
