package io.tandem.softswitch.sip.protection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link OverloadShedder} on a hand-moved clock. Most tests drive it with a small model of a node (a
 * {@link Node}: a queue served at a fixed number of calls per second, whose event loops run as late as
 * that queue is long) and assert what a carrier sees: how many calls per second the node takes while
 * offered more than it can carry, how long its admitted calls wait, and how soon it takes everything again.
 */
class OverloadShedderTest {
    static final long MS = 1_000_000L;

    long now = 1_000 * MS;
    long lagNanos = MS;
    long backlogNanos;
    int pendingTasks = 3;
    /** The model's loops as the shedder sees them; {@code measuredLoops} of them report their thread's CPU time. */
    LoopLoad loops(int measuredLoops) {
        return new LoopLoad() {
            @Override
            public long worstLagNanos() {
                return lagNanos;
            }

            @Override
            public int worstPendingTasks() {
                return pendingTasks;
            }

            @Override
            public long worstBacklogNanos() {
                return backlogNanos;
            }

            @Override
            public int loopCount() {
                return measuredLoops;
            }

            @Override
            public long loopCpuNanos(int loop) {
                return loopBusyNanos;
            }
        };
    }

    final LoopLoad load = loops(0);
    final OverloadShedder shedder = new OverloadShedder(OverloadConfig.defaults(), load, () -> now);

    /** The work the model's one loop has done so far, as its thread's CPU time. */
    long loopBusyNanos;
    /** The share of a call's work done on the model's event loop; the rest is other threads' (and other processes'). */
    double loopShareOfWork = 1.0;
    /** Lag the machine adds whatever the node does (other processes holding the cores), in nanoseconds. */
    long externalLagNanos;
    final OverloadShedder measured = new OverloadShedder(OverloadConfig.defaults(), loops(1), () -> now);

    /**
     * A node that completes {@code capacity} calls a second; an admitted INVITE costs one call's work, a shed
     * one a twentieth of it (parsing, the stateless 503 and its ACK): at 4x a fifth of the node goes to refusing. Its loops run as late as its queue of work is long.
     */
    final class Node {
        final double capacity;
        final OverloadShedder gate;
        double queuedCalls;
        double worstWaitSeconds;

        Node(double capacity) {
            this(capacity, shedder);
        }

        Node(double capacity, OverloadShedder gate) {
            this.capacity = capacity;
            this.gate = gate;
        }

        /** Offers {@code cps} for {@code millis} ms, evenly; returns the INVITEs admitted. */
        long offer(double cps, long millis) {
            long admitted = 0;
            double due = 0;
            for (long ms = 0; ms < millis; ms++) {
                due += cps / 1000.0;
                while (due >= 1.0) {
                    due -= 1.0;
                    if (gate.admit()) {
                        admitted++;
                        queuedCalls += 1.0;
                        worstWaitSeconds = Math.max(worstWaitSeconds, queuedCalls / capacity);
                    } else {
                        queuedCalls += 0.05;
                    }
                }
                now += MS;
                double served = Math.min(queuedCalls, capacity / 1000.0);
                loopBusyNanos += (long) (served / capacity * 1e9 * loopShareOfWork);
                queuedCalls -= served;
                lagNanos = (long) (queuedCalls / capacity * 1e9) + externalLagNanos;
            }
            return admitted;
        }
    }

    /** Offers {@code invites} evenly over the next 10 ms with the load the test set; how many were admitted. */
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
    void withinItsCapacityTheNodeAdmitsEveryInvite() {
        Node node = new Node(1_000);
        assertThat(node.offer(900, 30_000)).isBetween(26_999L, 27_000L);
        assertThat(shedder.shed()).isZero();
        assertThat(shedder.budgetPerSecond()).isInfinite();
        assertThat(shedder.overloadedWithin(Duration.ofHours(1))).isFalse();
    }

    @Test
    void pushedFromItsMaximumToTwiceAndFourTimesItKeepsTakingAboutItsMaximumWithShortWaits() {
        Node node = new Node(1_000);
        node.offer(950, 5_000);
        node.worstWaitSeconds = 0;

        long first = node.offer(2_000, 1_000);
        long rest = node.offer(2_000, 9_000);
        // What the node can take while refusing the rest: 2x leaves it 947 CPS, 4x 842 CPS.
        assertThat(first).as("calls taken in the first second at 2x").isBetween(850L, 1_100L);
        assertThat(rest / 9.0).as("calls per second taken at 2x, seconds 1-10").isBetween(880.0, 1_000.0);

        long fourTimes = node.offer(4_000, 10_000);
        assertThat(fourTimes / 10.0).as("calls per second taken at 4x").isBetween(780.0, 900.0);
        assertThat(node.worstWaitSeconds).as("longest wait of an admitted INVITE, s").isLessThan(0.15);
        assertThat(shedder.shed()).isGreaterThan(40_000);
    }

    @Test
    void aColdNodeOfferedFourTimesItsCapacityFindsItWithinASecond() {
        Node node = new Node(1_000);
        node.offer(4_000, 1_000);
        long taken = node.offer(4_000, 9_000);
        assertThat(taken / 9.0).as("calls per second taken at 4x from cold, seconds 1-10").isBetween(720.0, 900.0);
    }

    @Test
    void afterTheOverloadEveryInviteIsTakenAgainWithinTwoSeconds() {
        Node node = new Node(1_000);
        node.offer(950, 5_000);
        node.offer(4_000, 10_000);
        node.offer(500, 2_000);
        assertThat(node.offer(500, 1_000)).as("all of 500 CPS, 2 s after the overload").isEqualTo(500);
        assertThat(shedder.budgetPerSecond()).isInfinite();
    }

    @Test
    void capacityFreedLaterIsFoundAgain() {
        Node slow = new Node(500);
        slow.offer(450, 3_000);
        slow.offer(2_000, 5_000);
        Node fast = new Node(1_000);
        fast.queuedCalls = slow.queuedCalls;
        fast.offer(2_000, 5_000);
        assertThat(fast.offer(2_000, 5_000) / 5.0).as("calls per second once the node carries twice as much")
            .isBetween(850.0, 1_000.0);
    }

    @Test
    void aLagJustOverTheLimitAtOneCheckIsNotAnOverload() {
        offerOneInterval(50);
        lagNanos = 60 * MS;
        assertThat(offerOneInterval(50)).isEqualTo(50);
        lagNanos = MS;
        for (int i = 0; i < 20; i++) {
            assertThat(offerOneInterval(50)).isEqualTo(50);
        }
        assertThat(shedder.shed()).isZero();
        assertThat(shedder.overloadedWithin(Duration.ofHours(1))).isFalse();
    }

    @Test
    void aLoopStalledFarPastTheLimitIsAnOverloadAtTheFirstCheck() {
        for (int i = 0; i < 300; i++) {
            offerOneInterval(10);
        }
        lagNanos = 150 * MS;
        offerOneInterval(10);
        assertThat(shedder.overloadedWithin(Duration.ofMillis(10))).isTrue();
        assertThat(shedder.budgetPerSecond()).as("95 % of the 1,000 CPS it carried").isCloseTo(950.0, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void aDeepTaskQueueShedsLikeALateLoop() {
        for (int i = 0; i < 50; i++) {
            offerOneInterval(10);
        }
        pendingTasks = 5_000;
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += offerOneInterval(100);
        }
        assertThat(admitted).as("of 10,000 offered in 1 s after the queue deepened").isLessThan(3_000);
    }

    @Test
    void aSocketThatStaysBackloggedTenTimesTheLagLimitShedsThoughTheLoopsRunOnTime() {
        for (int i = 0; i < 50; i++) {
            offerOneInterval(10);
        }
        backlogNanos = 800 * MS;
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += offerOneInterval(100);
        }
        assertThat(admitted).as("of 10,000 offered in 1 s while the socket stayed backlogged").isLessThan(3_000);
        assertThat(shedder.admittedShare()).isLessThan(0.3);
    }

    @Test
    void aSocketReadInFullReadsForLessThanTenTimesTheLagLimitIsNoOverload() {
        backlogNanos = 300 * MS;
        for (int i = 0; i < 100; i++) {
            assertThat(offerOneInterval(20)).isEqualTo(20);
        }
    }

    @Test
    void attemptsThatOverlappedAnOverloadAreKnownAsSuchUntilTheirWindowPassedIt() {
        Node node = new Node(1_000);
        node.offer(900, 3_000);
        node.offer(3_000, 2_000);
        node.offer(300, 2_000);
        assertThat(shedder.budgetPerSecond()).isInfinite();
        assertThat(shedder.overloadedWithin(Duration.ofMillis(500))).as("shedding ended more than 0.5 s ago").isFalse();
        assertThat(shedder.overloadedWithin(Duration.ofSeconds(3))).isTrue();
        now += 5_000 * MS;
        assertThat(shedder.overloadedWithin(Duration.ofSeconds(3))).isFalse();
    }

    @Test
    void aQuietSpellAfterAnOverloadIsNotStillOverloaded() {
        Node node = new Node(1_000);
        node.offer(4_000, 3_000);
        now += 3_600_000 * MS;
        lagNanos = MS;
        assertThat(offerOneInterval(100)).as("the first INVITEs after an hour's quiet").isEqualTo(100);
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

    @Test
    void aNodeThatLearntWhatACallCostsStartsAnOverloadNearItsCapacityAndHoldsItsLoopBelowFull() {
        Node node = new Node(1_000, measured);
        node.offer(300, 5_000);
        assertThat(measured.learntCapacityPerSecond()).as("85 % of 1,000 CPS, learnt at 300").isBetween(800.0, 900.0);
        node.worstWaitSeconds = 0;

        long first = node.offer(2_000, 1_000);
        long rest = node.offer(2_000, 9_000);
        // the start is capped at twice the 300 CPS carried (the node cannot know its loops are its bottleneck): 752 of
        // the 850 a start at the learnt capacity took
        assertThat(first).as("calls taken in the first second at 2x").isBetween(720L, 950L);
        assertThat(rest / 9.0).as("calls per second taken at 2x, seconds 1-10").isBetween(760.0, 900.0);
        assertThat(measured.loopUtilization()).as("the busy loop's working share at 2x").isBetween(0.8, 0.92);
        assertThat(node.worstWaitSeconds).as("longest wait of an admitted INVITE, s (50 ms lag confirm an overload)").isLessThan(0.1);

        long fourTimes = node.offer(4_000, 10_000);
        assertThat(fourTimes / 10.0).as("calls per second taken at 4x").isBetween(650.0, 850.0);
    }

    /**
     * Issue #15 on the 2-core box: the loops did a tenth of a call's work (the rest was the database, the capture
     * thread, the collector and the harness on the same cores), so the cost they taught put the capacity at 6,400-9,900
     * CPS on a node that carried about 1,900, and each overload started there.
     */
    @Test
    void aNodeWhoseLoopsDoATenthOfItsWorkStartsTheNextOverloadNearWhatItCarriedWhileLimiting() {
        loopShareOfWork = 0.1;
        Node node = new Node(1_000, measured);
        node.offer(600, 5_000);
        assertThat(measured.learntCapacityPerSecond()).as("what the loop's CPU alone teaches").isGreaterThan(5_000.0);
        node.worstWaitSeconds = 0;
        long twice = node.offer(2_000, 1_000);
        double firstWait = node.worstWaitSeconds;
        node.offer(2_000, 9_000);
        node.offer(600, 3_000);
        assertThat(measured.budgetPerSecond()).as("open again after the overload").isInfinite();
        node.worstWaitSeconds = 0;

        long fourTimes = node.offer(4_000, 1_000);
        // before the cap: 2,043 taken and a 1.14-s wait (2x: 1,131 and 0.23 s)
        assertThat(node.worstWaitSeconds).as("longest wait of an INVITE admitted in the first second at 4x, s").isLessThan(0.2);
        assertThat(fourTimes).as("calls taken in the first second at 4x").isBetween(800L, 1_100L);
        assertThat(twice).as("calls taken in the first second at 2x, the first overload").isBetween(800L, 1_100L);
        assertThat(firstWait).as("longest wait of an INVITE admitted in the first second at 2x, s").isLessThan(0.15);
    }

    /** The kernel's drops and the loops' lag show a flood a few steps after it began: those steps prove nothing. */
    @Test
    void aFloodsFirstStepsThatLookCalmDoNotRaiseWhereItsBudgetStarts() {
        loopShareOfWork = 0.1;
        Node node = new Node(1_000, measured);
        node.offer(600, 5_000);
        for (int ms = 0; ms < 250; ms++) {
            for (int i = 0; i < 3; i++) {
                measured.admit();
            }
            now += MS;
            loopBusyNanos += MS / 10;
            lagNanos = MS;
        }
        lagNanos = 120 * MS;
        now += 10 * MS;
        measured.admit();

        // twice the 600 CPS carried calmly for half a second and more; 2,850 (95 % of the flood) if its first steps counted
        assertThat(measured.budgetPerSecond()).as("where the flood's budget starts").isBetween(1_000.0, 1_260.0);
    }

    /**
     * Issue #15, the README node: its built-in warm-up teaches what a call costs, but the 20 CPS it carried before its
     * first flood show nothing of its capacity, and a budget started at twice those (38 CPS) carried 267-605 CPS at 4x.
     */
    @Test
    void aNodeThatCarriedTwentyCallsASecondMeetsItsFirstFloodAsANodeThatKnowsNothing() {
        // before: 227 and 453 (the README node: 267-605 CPS over its first 10 s at 4x)
        assertFirstTwoSecondsAtFourTimes(aReadmeNodeThatCarriedTwentyCallsASecond(), 750L);
    }

    /** The README node as modelled: 1,000 CPS, its loops doing 30 % of its work, 20 CPS carried before a flood. */
    Node aReadmeNodeThatCarriedTwentyCallsASecond() {
        loopShareOfWork = 0.3;
        Node node = new Node(1_000, measured);
        node.offer(300, 1_000);
        node.offer(20, 10_000);
        return node;
    }

    /** Offers 4x for two seconds: calls taken in each second near the node's capacity, no admitted INVITE waiting long. */
    void assertFirstTwoSecondsAtFourTimes(Node node, long firstSecondAtLeast) {
        node.worstWaitSeconds = 0;
        long first = node.offer(4_000, 1_000);
        long second = node.offer(4_000, 1_000);
        assertThat(first).as("calls taken in the first second at 4x").isBetween(firstSecondAtLeast, 1_050L);
        assertThat(second).as("and in the second").isBetween(750L, 1_050L);
        assertThat(node.worstWaitSeconds).as("longest wait of an admitted INVITE, s").isLessThan(0.15);
    }

    /**
     * Issue #15, a README node's second flood at 4x: the process stalled as the flood began, the stall confirmed the
     * overload after one INVITE, and a budget started at a quarter of "31 CPS carried", the 10-CPS floor: 881 CPS over
     * the 10 s.
     */
    @Test
    void aFloodThatBeganInAStallIsMeasuredOnItsFirstFullStep() {
        Node node = aReadmeNodeThatCarriedTwentyCallsASecond();
        // past ten times the lag limit, an overload whatever caused it; a stalled node reads next to nothing
        externalLagNanos = 600 * MS;
        node.offer(30, 40);
        externalLagNanos = 0;

        // before: 36 calls in the first second (the budget at its 10-CPS floor); now 730 and 901
        assertFirstTwoSecondsAtFourTimes(node, 700L);
    }

    @Test
    void aLoopWithRoomLeftIsGivenMoreCallsWithinASecond() {
        Node node = new Node(1_000, measured);
        node.offer(300, 5_000);
        node.offer(2_000, 2_000);
        // Capacity freed (say, long calls ended): the same loop now does a call's work in half the time.
        Node faster = new Node(2_000, measured);
        faster.offer(4_000, 1_000);
        assertThat(faster.offer(4_000, 1_000)).as("calls taken in the second second after capacity doubled")
            .isGreaterThan(1_300L);
    }

    @Test
    void aMachineThatKeepsTheLoopsLateWhateverTheyAdmitDoesNotCutTheBudgetToNothing() {
        Node node = new Node(1_000, measured);
        node.offer(300, 5_000);
        externalLagNanos = 200 * MS;
        node.offer(2_000, 10_000);
        // the start: twice the 300 CPS carried calmly (the loop's cost alone would have started it at 850)
        assertThat(measured.budgetPerSecond()).as("a quarter of where the budget started, not the 10-CPS floor")
            .isGreaterThan(140.0);
    }

    /**
     * A 1,000-CPS node that carried 300 CPS calmly, then offered {@code cps} for 5 s while another process keeps its
     * loops 200 ms late; returns the calls admitted.
     */
    long floodALateNode(int cps) {
        Node node = new Node(1_000, measured);
        node.offer(300, 5_000);
        externalLagNanos = 200 * MS;
        return node.offer(cps, 5_000);
    }

    /**
     * A flood so large that the node admits under 1 % of it: reading and refusing it is what keeps the loops late,
     * and cutting the few calls it admits would free nothing.
     */
    @Test
    void aNodeThatDoesLittleButRefuseAFloodKeepsItsBudget() {
        long admitted = floodALateNode(100_000);

        // started at twice the 300 CPS carried; before: cut to a quarter of that within a second
        assertThat(measured.budgetPerSecond()).as("the budget after 5 s").isBetween(500.0, 600.0);
        assertThat(admitted / 5.0).as("calls taken per second").isGreaterThan(500.0);
    }

    /** The same delay under a flood of 20 times the budget: 3 % of the INVITEs admitted may be what overloads the node. */
    @Test
    void aNodeAdmittingAFewPercentOfAFloodStillCutsItsBudgetForItsLateLoops() {
        floodALateNode(20_000);

        assertThat(measured.budgetPerSecond()).as("cut to a quarter of its 570-CPS start").isLessThan(200.0);
    }

    @Test
    void aDelayAnotherProcessCausesWhileTheNodeCarriesWhatItCarriedCalmlyShedsNothing() {
        Node node = new Node(1_000, measured);
        node.offer(20, 5_000);
        // a browser starting the console on the node's machine: the loops wait 120 ms for a core, the calls are the same
        externalLagNanos = 120 * MS;
        long admitted = node.offer(20, 1_000);
        externalLagNanos = 0;
        admitted += node.offer(20, 1_000);

        assertThat(admitted).as("of 40 INVITEs offered at 20 CPS during and after the delay").isEqualTo(40);
        assertThat(measured.shed()).isZero();
        assertThat(measured.ignoredStalls()).isEqualTo(1);
        assertThat(measured.overloadedWithin(Duration.ofSeconds(2))).as("vendor timeouts in the delay are still excused").isTrue();
    }

    @Test
    void theSameDelayWithTwiceTheCallsItCarriedCalmlyIsAnOverload() {
        Node node = new Node(1_000, measured);
        node.offer(300, 5_000);
        externalLagNanos = 120 * MS;
        long admitted = node.offer(700, 1_000);

        assertThat(measured.shed()).isPositive();
        assertThat(admitted).as("of 700 offered in the second the delay lasted").isLessThan(700);
    }

    @Test
    void aDelayPastTenTimesTheLimitIsAnOverloadWhateverCausedIt() {
        Node node = new Node(1_000, measured);
        node.offer(20, 5_000);
        externalLagNanos = 600 * MS;
        node.offer(20, 1_000);

        assertThat(measured.budgetPerSecond()).isFinite();
        assertThat(measured.ignoredStalls()).isZero();
    }
    @Test
    void anIdleNodeDelayedByAnotherProcessTakesItsFirstCalls() {
        Node node = new Node(1_000, measured);
        node.offer(0, 5_000);
        externalLagNanos = 120 * MS;

        assertThat(node.offer(5, 2_000)).as("of 10 INVITEs offered at 5 CPS during the delay").isEqualTo(10);
        assertThat(measured.shed()).isZero();
    }

    @Test
    void aFreshNodeWhoseFirstCallsMeetTheJitTakesNearlyAllOfThem() {
        Node node = new Node(1_000, measured);
        // started and idle; the first calls come 80 ms into a step, at 600 CPS, and the compiler holds the cores
        // once as they arrive (measured on the 2-core box: the loops 121 ms late, the busiest working 29 % of its time)
        node.offer(0, 5_080);
        externalLagNanos = 120 * MS;
        long admitted = node.offer(600, 20);
        externalLagNanos = 0;
        admitted += node.offer(600, 3_980);

        assertThat(admitted).as("of 2,400 INVITEs offered in the node's first 4 s of calls").isGreaterThan(2_160);
    }

    /**
     * Issue #15: the built-in warm-up sends the node its own INVITEs over loopback (about 50 a second, answered 503 while
     * it warms up). Remembered as a rate carried calmly, they made a new node's first 609 CPS "new load" and the JIT's
     * first stall under them an overload: the harness's first 30 s at a third of the node's maximum lost 388-1,289
     * INVITEs to 503s.
     */
    @Test
    void whatTheWarmUpTaughtIsForgottenBeforeTheFirstCalls() {
        // the real node's loops do a fraction of a call's work (the busiest worked 24 % of its time at 609 CPS)
        loopShareOfWork = 0.3;
        assertThat(shedInFirstCallsAfterAWarmUp(false)).as("shed when the warm-up's calls are remembered").isGreaterThan(100);
        assertThat(shedInFirstCallsAfterAWarmUp(true)).as("shed of the first 2,400 INVITEs once they are forgotten")
            .isLessThan(24L);
    }

    /** A fresh node warmed up at 100 CPS, then offered 600 CPS, which meets a 120-ms stall after 200 ms; INVITEs shed. */
    long shedInFirstCallsAfterAWarmUp(boolean forget) {
        OverloadShedder gate = new OverloadShedder(OverloadConfig.defaults(), loops(1), () -> now);
        Node node = new Node(1_000, gate);
        node.offer(100, 4_000);
        if (forget) {
            gate.forgetHistory();
        }
        node.offer(0, 1_000);
        node.offer(600, 200);
        externalLagNanos = 120 * MS;
        node.offer(600, 20);
        externalLagNanos = 0;
        node.offer(600, 3_780);
        return gate.shed();
    }

    @Test
    void anIdleNodeFloodedAtFourTimesItsCapacityShedsWithinAFewSteps() {
        Node node = new Node(1_000, measured);
        node.offer(0, 5_080);
        long taken = node.offer(4_000, 2_000);

        assertThat(measured.shed()).isPositive();
        assertThat(taken / 2.0).as("calls per second taken in the flood's first 2 s").isLessThan(1_400.0);
        assertThat(node.worstWaitSeconds).as("the longest an admitted INVITE waited").isLessThan(0.6);
    }

    @Test
    void aBudgetStartedFarBelowWhatTheNodeCarriesClimbsBackFastWhileTheLoopHasRoom() {
        Node node = new Node(2_000, measured);
        carryThenStall(node);
        node.offer(600, 990);
        long second = node.offer(600, 1_000);

        assertThat(measured.shed()).as("the stall started the budget").isPositive();
        // the budget starts from the one INVITE read in the stall's last 10 ms; 10 % a step took 36 of these 600
        assertThat(second).as("of 600 offered in the second after the stall's own second, the loop at 30 %").isGreaterThan(300);
        assertThat(node.offer(600, 1_000)).as("and in the third").isGreaterThanOrEqualTo(590);
    }

    /**
     * 600 CPS for 5 s, then the loops stall 600 ms (past ten times the limit: an overload whatever caused it) and read
     * nothing meanwhile, then 10 ms of 600 CPS once they run again: the stall starts a budget from what it read.
     */
    void carryThenStall(Node node) {
        node.offer(600, 5_000);
        externalLagNanos = 600 * MS;
        node.offer(0, 600);
        node.offer(600, 10);
        externalLagNanos = 0;
    }

    /** A spell limited by a stall (a fresh node's JIT) held less than the node carries: it proves no capacity. */
    @Test
    void aStallsLimitingSpellDoesNotHoldBackTheNextOverload() {
        Node node = new Node(1_000, measured);
        carryThenStall(node);
        node.offer(600, 6_000);
        assertThat(measured.budgetPerSecond()).as("open again after the stall").isInfinite();

        // before: 1.05x the stall's climb back (about 600) was taken for the node's capacity, growth held above it
        assertThat(node.offer(2_000, 1_000)).as("calls taken in the first second at 2x").isBetween(750L, 1_000L);
    }

    /**
     * Issue #15 at 4x on the 2-core box: the harness held the cores, so the node's loops got too little CPU to read
     * what arrived while each of their tasks still ran on time (1-50 ms late, working 20-30 % of their time). Only the
     * kernel saw it, dropping tens of thousands of datagrams at the socket, and the budget stayed where it was. Here the
     * node reads everything only while it admits at most 1,500 calls a second; above that the kernel drops.
     */
    @Test
    void datagramsTheKernelDropsHoldTheBudgetBelowWhereTheyBeginWhileTheLoopsLookCalm() {
        long[] perSecond = starvedNodeAdmissions(new int[] {950, 4_000}, new int[] {5, 12}, 1_500, 0);
        for (int second = 8; second < 17; second++) {
            assertThat(perSecond[second]).as("calls admitted in second %d of 4x", second - 5)
                .isBetween((long) (0.75 * 1_500), (long) (1.02 * 1_500));
        }
    }

    /**
     * The second overload of a starved node (as above) starts near what the first one proved, and its budget grows past
     * that only slowly: the loops look idle (a quarter of their time) while the kernel drops what the node cannot read,
     * so growing at the pace their idleness suggests admitted far more than the node reads before the drops showed.
     */
    @Test
    void aSecondOverloadStartsNearWhatTheFirstProvedAndDoesNotOvershootIt() {
        long[] perSecond = starvedNodeAdmissions(new int[] {950, 4_000, 950, 4_000}, new int[] {5, 8, 4, 3}, 1_500, 3);
        // before: 2,625 and 1,938, growing as fast as the idle-looking loops suggested until the drops showed
        assertThat(perSecond[17]).as("calls admitted in the second overload's first second").isBetween(1_125L, 1_650L);
        assertThat(perSecond[18]).as("and in its second").isBetween(1_125L, 1_650L);
    }

    /**
     * A node whose loops look calm (1 ms late, working a quarter of their time) but that reads only
     * {@code readableCallsPerSecond}: above that the kernel drops 8 datagrams per call admitted beyond it, counted
     * {@code dropDelaySteps} 100-ms steps later (the socket's queue fills first). Offers
     * {@code rates[i]} CPS for {@code seconds[i]} s in turn (the first 50 ms after each rise make the loops late once);
     * returns the calls admitted in each second.
     */
    long[] starvedNodeAdmissions(int[] rates, int[] seconds, double readableCallsPerSecond, int dropDelaySteps) {
        long[] kernelDrops = {0};
        long[] dropsDue = new long[dropDelaySteps + 1];
        LoopLoad starved = new LoopLoad() {
            @Override
            public long worstLagNanos() {
                return lagNanos;
            }

            @Override
            public int worstPendingTasks() {
                return 3;
            }

            @Override
            public long kernelDroppedDatagrams() {
                return kernelDrops[0];
            }

            @Override
            public int loopCount() {
                return 1;
            }

            @Override
            public long loopCpuNanos(int loop) {
                return loopBusyNanos;
            }
        };
        OverloadShedder gate = new OverloadShedder(OverloadConfig.defaults(), starved, () -> now);
        int totalSeconds = java.util.Arrays.stream(seconds).sum();
        long[] perSecond = new long[totalSeconds];
        int admittedThisTenth = 0;
        double due = 0;
        int phase = 0;
        long phaseStart = 0;
        for (long ms = 0; ms < totalSeconds * 1_000L; ms++) {
            if (ms - phaseStart >= seconds[phase] * 1_000L) {
                phaseStart = ms;
                phase++;
            }
            boolean rose = phase > 0 && rates[phase] > rates[phase - 1];
            lagNanos = rose && ms - phaseStart < 50 ? 120 * MS : MS;
            due += rates[phase] / 1_000.0;
            for (; due >= 1.0; due -= 1.0) {
                if (gate.admit()) {
                    admittedThisTenth++;
                    perSecond[(int) (ms / 1_000)]++;
                }
            }
            now += MS;
            loopBusyNanos += MS / 4;
            if (ms % 100 == 99) {
                double overRead = admittedThisTenth - readableCallsPerSecond / 10;
                int tenth = (int) (ms / 100);
                if (overRead > 0) {
                    // every call admitted beyond what is read costs its share of the unread datagrams
                    dropsDue[(tenth + dropDelaySteps) % dropsDue.length] += (long) (overRead * 8);
                }
                kernelDrops[0] += dropsDue[tenth % dropsDue.length];
                dropsDue[tenth % dropsDue.length] = 0;
                admittedThisTenth = 0;
            }
        }
        return perSecond;
    }
}
