package io.tandem.softswitch.sip.protection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdmissionBudgetTest {
    final AdmissionBudget budget = new AdmissionBudget();

    /** Calm steps with INVITEs shed and the busiest loop working a quarter of its time (room for more). */
    void calmStepsWithRoom(int steps) {
        for (int i = 0; i < steps; i++) {
            budget.calmSheddingStep(0.25, 0.85, true, 0);
        }
    }

    @Test
    void dropsSeenLaterHoldGrowthNearWhereTheyBegan() {
        budget.start(100, 4_000, Double.NaN, 0);
        calmStepsWithRoom(5);
        double seenAt = budget.perSecond();
        budget.overloadedStep(true, false, seenAt);
        calmStepsWithRoom(10);

        assertThat(budget.perSecond()).as("5 % a step above 90 % of where the drops began")
            .isBetween(0.9 * seenAt, 0.9 * seenAt * 1.7);
    }

    /**
     * Measured with `overload.sh` at 2×: another process's retransmissions starved the node two seconds into a spell
     * started at 912 CPS, its budget was cut to its floor (228), and the kernel's drops there set the level above which
     * it grows 5 % a step: four seconds back to 1,600 once the starvation had passed (964 CPS over the 10 s).
     */
    @Test
    void dropsSeenWhileOverloadedAtTheFloorDoNotHoldGrowthThere() {
        budget.start(900, 4_000, Double.NaN, 0);
        // drops in every step: a cut every third one, the level following the budget down
        for (int i = 0; i < 40; i++) {
            budget.overloadedStep(true, false, budget.perSecond());
        }
        assertThat(budget.perSecond()).as("at the floor").isEqualTo(225.0);
        calmStepsWithRoom(5);

        // before: 225 x 1.05^5 = 287
        assertThat(budget.perSecond()).as("1.3x a step up to 90 % of where the drops began, 810")
            .isCloseTo(810.0, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void aSpellStillOverloadedAtItsFloorProvesNoCapacity() {
        budget.start(1_000, 4_000, Double.NaN, 0);
        budget.overloadedStep(false, false, 1_000);
        assertThat(budget.tooMuchAt()).isEqualTo(1_000.0);
        for (int i = 0; i < 20; i++) {
            budget.overloadedStep(false, false, budget.perSecond());
        }

        assertThat(budget.perSecond()).as("a quarter of the start").isEqualTo(250.0);
        assertThat(budget.tooMuchAt()).as("late whatever it admitted: nothing was too much").isNaN();
    }
}
