package io.tandem.console.ui.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The server-drawn chart: gaps where there is no value, bounded size, readable axes. */
class TimeSeriesChartTest {

    @Test
    void aSecondWithoutValueLeavesAGapInTheLine() {
        long[] times = {100, 101, 102, 103, 104};
        double[] asr = {50, 60, Double.NaN, 40, 45};

        String svg = TimeSeriesChart.svg(times, List.of(new TimeSeriesChart.Series("cluster", asr)), "%");

        String path = svg.substring(svg.indexOf(" d='") + 4, svg.indexOf("'/>", svg.indexOf(" d='")));
        assertThat(path.chars().filter(c -> c == 'M').count()).as(path).isEqualTo(2);
        assertThat(path.chars().filter(c -> c == 'L').count()).as(path).isEqualTo(2);
        assertThat(svg).contains(">100</text>", ">0</text>", "00:01:40", "00:01:44 UTC");
    }

    @Test
    void aValueAloneBetweenGapsIsDrawnAsADot() {
        long[] times = {100, 101, 102};
        String svg = TimeSeriesChart.svg(times, List.of(new TimeSeriesChart.Series("cluster", new double[] {Double.NaN, 3, Double.NaN})), "s");
        assertThat(svg).containsPattern("d='M[0-9.]+,[0-9.]+h0\\.1'");
    }

    @Test
    void aDayOfMinutesIsAveragedDownToABoundedNumberOfPoints() {
        int minutes = 1440;
        long[] times = new long[minutes];
        double[] cps = new double[minutes];
        for (int i = 0; i < minutes; i++) {
            times[i] = 60L * i;
            cps[i] = i % 2;
        }

        String svg = TimeSeriesChart.svg(times, List.of(new TimeSeriesChart.Series("node-a", cps)), "cps");

        assertThat(svg.chars().filter(c -> c == 'L').count()).isEqualTo(TimeSeriesChart.MAX_POINTS - 1);
        assertThat(TimeSeriesChart.downsample(cps, 720)).containsOnly(0.5);
    }

    @Test
    void theAxisTopIsARoundNumberAboveTheHighestValue() {
        assertThat(TimeSeriesChart.niceCeiling(0.3)).isEqualTo(1);
        assertThat(TimeSeriesChart.niceCeiling(7)).isEqualTo(10);
        assertThat(TimeSeriesChart.niceCeiling(13)).isEqualTo(20);
        assertThat(TimeSeriesChart.niceCeiling(430)).isEqualTo(500);
    }

    @Test
    void tooFewPointsSayTheChartIsCollecting() {
        assertThat(TimeSeriesChart.svg(new long[] {5}, List.of(new TimeSeriesChart.Series("x", new double[] {1})), "")).contains("collecting");
    }

    @Test
    void moneyKeepsTheFractionsOfACentAndNamesTheCurrency() {
        assertThat(Figures.money(new java.math.BigDecimal("0.000333"), "USD")).isEqualTo("0.000333 USD");
        assertThat(Figures.money(new java.math.BigDecimal("12.500000"), "EUR")).isEqualTo("12.50 EUR");
        assertThat(Figures.duration(3725)).isEqualTo("1:02:05");
        assertThat(Figures.duration(65)).isEqualTo("1:05");
    }
}
