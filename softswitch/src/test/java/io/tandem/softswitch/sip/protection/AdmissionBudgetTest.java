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
