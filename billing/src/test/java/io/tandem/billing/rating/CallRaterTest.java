package io.tandem.billing.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallRaterTest {

    @ParameterizedTest(name = "{0}/{1} increments, {2} s -> {3} billable s")
    @CsvSource({
            // initial, next, duration, billable
            "60, 60, 0, 0",
            "60, 60, 1, 60",
            "60, 60, 59, 60",
            "60, 60, 60, 60",
            "60, 60, 61, 120",
            "60, 60, 3601, 3660",
            "30, 6, 1, 30",
            "30, 6, 30, 30",
            "30, 6, 31, 36",
            "30, 6, 36, 36",
            "30, 6, 37, 42",
            "1, 1, 1, 1",
            "1, 1, 2, 2",
            "1, 1, 7199, 7199",
            "60, 1, 1, 60",
            "60, 1, 60, 60",
            "60, 1, 61, 61",
            "60, 1, 125, 125",
            "0, 6, 1, 6",
            "0, 6, 7, 12",
            "60, 60, 86400, 86400",
            "60, 60, 86401, 86460",
    })
    void roundsDurationsUpToTheIncrements(int initial, int next, long duration, long billable) {
        RateSnapshot rate = RateSnapshot.of("44", "0.010000", "0", initial, next);
        assertThat(CallRater.billableSeconds(rate, duration)).isEqualTo(billable);
    }

    @ParameterizedTest(name = "{0}/min + {1} fee, {2}/{3}, {4} s -> {5}")
    @CsvSource({
            // rate, connect fee, initial, next, duration, cost
            "0.012000, 0, 60, 60, 1, 0.012000",
            "0.012000, 0, 60, 60, 61, 0.024000",
            "0.012000, 0.050000, 60, 60, 61, 0.074000",
            "0.012000, 0.050000, 60, 60, 0, 0.000000",
            "0.010000, 0, 1, 1, 1, 0.000167",           // 0.01/60 = 0.0001666.. -> half-up
            "0.010000, 0, 1, 1, 2, 0.000333",           // 0.000333.. rounded once, not 2 x 0.000167
            "0.010000, 0, 1, 1, 3, 0.000500",
            "0.000001, 0, 1, 1, 30, 0.000001",          // 0.0000005 exactly half -> up
            "0.000001, 0, 1, 1, 29, 0.000000",
            "0.123456, 0.001000, 30, 6, 31, 0.075074",  // 0.001 + 0.123456 * 36 / 60 = 0.0750736
            "1.000000, 0, 60, 1, 7200, 120.000000",
            "0.050000, 0.010000, 60, 60, 86401, 72.060000",
            "0, 0.100000, 60, 60, 500, 0.100000",
    })
    void pricesAnsweredCalls(String rate, String fee, int initial, int next, long duration, String cost) {
        RateSnapshot snapshot = RateSnapshot.of("44", rate, fee, initial, next);
        assertThat(CallRater.charge(snapshot, duration).cost()).isEqualTo(new BigDecimal(cost));
    }

    @Test
    void aCallWithinTheGracePeriodIsFreeAndOneSecondMoreIsBilledInFull() {
        RateSnapshot rate = RateSnapshot.of("44", "0.060000", "0.020000", 60, 60).withGrace(5);

        assertThat(CallRater.charge(rate, 5)).isEqualTo(CallCharge.FREE);
        assertThat(CallRater.charge(rate, 6)).isEqualTo(new CallCharge(60, new BigDecimal("0.080000")));
    }

    @Test
    void aStartedSecondCounts() {
        assertThat(CallRater.answeredSeconds(0)).isZero();
        assertThat(CallRater.answeredSeconds(1)).isEqualTo(1);
        assertThat(CallRater.answeredSeconds(1000)).isEqualTo(1);
        assertThat(CallRater.answeredSeconds(1001)).isEqualTo(2);
    }

    @Test
    void minimumChargeIsTheConnectFeePlusTheFirstIncrement() {
        assertThat(CallRater.minimumCharge(RateSnapshot.of("1", "0.060000", "0.010000", 60, 60)))
                .isEqualTo(new BigDecimal("0.070000"));
        assertThat(CallRater.minimumCharge(RateSnapshot.of("1", "0.060000", "0", 1, 1)))
                .isEqualTo(new BigDecimal("0.001000"));
    }

    @ParameterizedTest(name = "{0}/min + {1}, {2}/{3}, money {4} -> {5} s")
    @CsvSource({
            "0.060000, 0, 60, 60, 0.059999, 0",
            "0.060000, 0, 60, 60, 0.060000, 60",
            "0.060000, 0, 60, 60, 0.119999, 60",
            "0.060000, 0, 60, 60, 0.120000, 120",
            "0.060000, 0.010000, 30, 6, 0.040000, 30",
            "0.060000, 0.010000, 30, 6, 0.045999, 30",
            "0.060000, 0.010000, 30, 6, 0.046000, 36",
            "0.010000, 0, 1, 1, 0.000167, 1",
            "0.010000, 0, 1, 1, 0.000332, 1",
            "0.010000, 0, 1, 1, 0.000333, 2",
            "0.010000, 0, 1, 1, 10.000000, 60000",
            "0.012000, 0, 60, 1, 10.000000, 50000",
    })
    void maxDurationIsTheLongestCallTheMoneyPaysFor(String rate, String fee, int initial, int next,
                                                    String money, long seconds) {
        RateSnapshot snapshot = RateSnapshot.of("1", rate, fee, initial, next);
        BigDecimal available = new BigDecimal(money);

        long max = CallRater.maxDurationSeconds(snapshot, available);

        assertThat(max).isEqualTo(seconds);
        if (max > 0) {
            assertThat(CallRater.charge(snapshot, max).cost()).isLessThanOrEqualTo(available);
        }
        assertThat(CallRater.charge(snapshot, max + 1).cost()).isGreaterThan(available);
    }

    @Test
    void maxDurationOfAFreeRateIsUnboundedOnceTheConnectFeeIsCovered() {
        RateSnapshot free = RateSnapshot.of("1", "0", "0.010000", 60, 60);
        assertThat(CallRater.maxDurationSeconds(free, new BigDecimal("0.010000"))).isEqualTo(Long.MAX_VALUE);
        assertThat(CallRater.maxDurationSeconds(free, new BigDecimal("0.009999"))).isZero();
    }

    @Test
    void graceSecondsAreAlwaysAllowed() {
        RateSnapshot rate = RateSnapshot.of("1", "1.000000", "0", 60, 60).withGrace(3);
        assertThat(CallRater.maxDurationSeconds(rate, BigDecimal.ZERO)).isEqualTo(3);
    }

    @Test
    void rejectsNonsenseRates() {
        assertThatThrownBy(() -> RateSnapshot.of("1", "-0.01", "0", 60, 60)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateSnapshot.of("1", "0.01", "0", 60, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
