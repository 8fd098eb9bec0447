package io.tandem.softswitch.sip.protection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link OverloadShedder} on a hand-moved clock with a loop load the test sets: one row of its state
 * table per test, plus what a carrier would see (how many of its INVITEs per 10 ms get through).
 */
class OverloadShedderTest {
    static final long MS = 1_000_000L;

    long now = 1_000 * MS;
    long lagNanos = MS;
    int pendingTasks = 3;
    final LoopLoad load = new LoopLoad() {
        @Override
        public long worstLagNanos() {
            return lagNanos;
        }

        @Override
        public int worstPendingTasks() {
            return pendingTasks;
        }
    };
    final OverloadShedder shedder = new OverloadShedder(OverloadConfig.defaults(), load, () -> now);

    /** Offers {@code invites} evenly over the next 10 ms; how many were admitted. */
    int offerOneInterval(int invites) {
        int admitted = 0;
        for (int i = 0; i < invites; i++) {
            now += 10 * MS / invites;
            if (shedder.admit()) {
                admitted++;
            }
        }
        return admitted;
    }

    @Test
    void withinItsLimitsTheNodeAdmitsEveryInvite() {
        for (int i = 0; i < 100; i++) {
            assertThat(offerOneInterval(50)).isEqualTo(50);
        }
        assertThat(shedder.shed()).isZero();
        assertThat(shedder.overloadedWithin(Duration.ofHours(1))).isFalse();
    }

    @Test
    void oneStallSeenAtTwoChecksIsAPauseNotAnOverload() {
        offerOneInterval(50);
        lagNanos = 200 * MS;
        assertThat(offerOneInterval(50)).isEqualTo(50);
        assertThat(offerOneInterval(50)).isEqualTo(50);
        lagNanos = MS;
        assertThat(offerOneInterval(50)).isEqualTo(50);
        assertThat(shedder.shed()).isZero();
        assertThat(shedder.overloadedWithin(Duration.ofHours(1))).isFalse();
    }

    @Test
    void aSustainedLagShedsMoreEachIntervalThenRecoversWithinAboutAFifthOfASecond() {
        lagNanos = 80 * MS;
        int[] admitted = new int[5];
        for (int i = 0; i < admitted.length; i++) {
            admitted[i] = offerOneInterval(100);
        }
        // Two late checks could be one pause; the third confirms it, and each later interval admits a quarter less.
        assertThat(admitted[0]).isEqualTo(100);
        assertThat(admitted[1]).isEqualTo(100);
        assertThat(admitted[2]).isGreaterThanOrEqualTo(98);
        assertThat(admitted[3]).isBetween(73, 77);
        assertThat(admitted[4]).isBetween(54, 58);
        for (int i = 0; i < 30; i++) {
            offerOneInterval(100);
        }
        assertThat(offerOneInterval(100)).as("never below 1 %").isBetween(1, 2);
        assertThat(shedder.shed()).isGreaterThan(2_500);

        lagNanos = MS;
        int last = 0;
        for (int i = 0; i < 21; i++) {
            last = offerOneInterval(100);
        }
        assertThat(last).as("all admitted again 210 ms after the lag ended").isEqualTo(100);
    }

    @Test
    void aDeepTaskQueueShedsLikeALateLoop() {
        pendingTasks = 5_000;
        offerOneInterval(100);
        offerOneInterval(100);
        offerOneInterval(100);
        assertThat(offerOneInterval(100)).isLessThan(100);
    }

    @Test
    void aQuietIntervalAfterAnOverloadIsNotStillOverloaded() {
        lagNanos = 80 * MS;
        for (int i = 0; i < 20; i++) {
            offerOneInterval(100);
        }
        lagNanos = MS;
        now += 5_000 * MS;
        assertThat(offerOneInterval(100)).as("the first INVITEs after 5 quiet seconds").isEqualTo(100);
    }

    @Test
    void attemptsThatOverlappedAnOverloadAreKnownAsSuchUntilTheirWindowPassedIt() {
        lagNanos = 80 * MS;
        for (int i = 0; i < 5; i++) {
            offerOneInterval(100);
        }
        lagNanos = MS;
        for (int i = 0; i < 20; i++) {
            offerOneInterval(100);
        }
        assertThat(shedder.admittedShare()).isEqualTo(1.0);
        assertThat(shedder.overloadedWithin(Duration.ofMillis(50))).as("shedding ended more than 50 ms ago").isFalse();
        assertThat(shedder.overloadedWithin(Duration.ofSeconds(1))).isTrue();
        now += 2_000 * MS;
        assertThat(shedder.overloadedWithin(Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void offAdmitsEverythingWhateverTheLoops() {
        OverloadShedder off = new OverloadShedder(OverloadConfig.disabled(), load, () -> now);
        lagNanos = 10_000 * MS;
        for (int i = 0; i < 1_000; i++) {
            now += MS;
            assertThat(off.admit()).isTrue();
        }
        assertThat(off.overloadedWithin(Duration.ofHours(1))).isFalse();
    }
}
