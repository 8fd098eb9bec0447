package io.tandem.console.ui.chart;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A line chart of one figure over time, drawn on the server as SVG: no chart library, nothing for
 * the browser to load or run, and the same picture in a screenshot as on screen. Series share the
 * time axis; values that are not a number (no call ended, say) leave a gap. Long series are
 * averaged down to {@link #MAX_POINTS} points, one per few pixels, which also bounds what a push
 * carries.
 */
public class TimeSeriesChart extends Div {

    /** At most this many points per series are drawn. */
    public static final int MAX_POINTS = 300;

    /** How many series get a colour of their own (tandem.css: {@code .tandem-series-0} ...); more repeat them. */
    static final int COLOURS = 6;

    private static final int WIDTH = 600;
    private static final int HEIGHT = 170;
    private static final int LEFT = 44;
    private static final int RIGHT = 8;
    private static final int TOP = 8;
    private static final int BOTTOM = 22;

    /** A value alone between gaps (one ended call in a quiet quarter hour) is drawn as a dot: a round-capped stub. */
    private static final String DOT = "h0.1";

    /** One line: a name for the legend and a value per time of the chart (NaN for none). */
    public record Series(String name, double[] values) {
    }

    private final String unit;
    private final Div plot = new Div();
    private final Div legend = new Div();

    /**
     * @param title shown above the chart
     * @param unit  after the values in the legend and on the axis ("cps", "%", "s", "ms", "")
     */
    public TimeSeriesChart(String title, String unit) {
        this.unit = unit;
        addClassName("tandem-chart");
        Span heading = new Span(title);
        heading.addClassName("tandem-chart-title");
        plot.addClassName("tandem-chart-plot");
        legend.addClassName("tandem-chart-legend");
        add(heading, plot, legend);
        show(new long[0], List.of());
    }

    /**
     * Draws the series over the times (epoch seconds, ascending; every series has one value per
     * time). The legend gives each series' latest value.
     */
    public void show(long[] times, List<Series> series) {
        plot.getElement().setProperty("innerHTML", svg(times, series, unit));
        legend.removeAll();
        for (int i = 0; i < series.size(); i++) {
            Span entry = new Span(series.get(i).name() + " " + Figures.decimal(last(series.get(i).values())) + (unit.isEmpty() ? "" : " " + unit));
            entry.addClassNames("tandem-legend-entry", "tandem-series-" + i % COLOURS);
            legend.add(entry);
        }
    }

    /** The SVG document for these series; visible for tests. */
    static String svg(long[] times, List<Series> series, String unit) {
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("' role='img' class='tandem-chart-svg'>");
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        svg.append("<rect class='tandem-chart-area' x='").append(LEFT).append("' y='").append(TOP).append("' width='").append(plotWidth)
                .append("' height='").append(plotHeight).append("'/>");
        if (times.length < 2) {
            svg.append("<text class='tandem-chart-empty' x='").append(LEFT + plotWidth / 2).append("' y='").append(TOP + plotHeight / 2)
                    .append("' text-anchor='middle'>collecting…</text></svg>");
            return svg.toString();
        }
        int buckets = Math.min(MAX_POINTS, times.length);
        double max = 0;
        double[][] averaged = new double[series.size()][];
        for (int s = 0; s < series.size(); s++) {
            averaged[s] = downsample(series.get(s).values(), buckets);
            for (double value : averaged[s]) {
                if (!Double.isNaN(value)) {
                    max = Math.max(max, value);
                }
            }
        }
        double top = niceCeiling(max);
        long first = times[0];
        long span = Math.max(1, times[times.length - 1] - first);
        for (int s = 0; s < series.size(); s++) {
            svg.append("<path class='tandem-series-line tandem-series-").append(s % COLOURS).append("' d='");
            int run = 0;
            for (int b = 0; b < buckets; b++) {
                double value = averaged[s][b];
                if (Double.isNaN(value)) {
                    if (run == 1) {
                        svg.append(DOT);
                    }
                    run = 0;
                    continue;
                }
                long at = times[(int) ((long) b * (times.length - 1) / Math.max(1, buckets - 1))];
                double x = LEFT + (double) (at - first) / span * plotWidth;
                double y = TOP + plotHeight - value / top * plotHeight;
                svg.append(run > 0 ? 'L' : 'M').append(format(x)).append(',').append(format(y));
                run++;
            }
            if (run == 1) {
                svg.append(DOT);
            }
            svg.append("'/>");
        }
        svg.append("<text class='tandem-chart-axis' x='").append(LEFT - 4).append("' y='").append(TOP + 8)
                .append("' text-anchor='end'>").append(axis(top)).append("</text>");
        svg.append("<text class='tandem-chart-axis' x='").append(LEFT - 4).append("' y='").append(TOP + plotHeight)
                .append("' text-anchor='end'>0</text>");
        svg.append("<text class='tandem-chart-axis' x='").append(LEFT).append("' y='").append(HEIGHT - 6).append("'>")
                .append(clock(first, span)).append("</text>");
        svg.append("<text class='tandem-chart-axis' x='").append(WIDTH - RIGHT).append("' y='").append(HEIGHT - 6)
                .append("' text-anchor='end'>").append(clock(times[times.length - 1], span)).append(" UTC</text>");
        svg.append("</svg>");
        return svg.toString();
    }

    /** Averages {@code values} into {@code buckets} consecutive groups, ignoring NaN (a group of only NaN stays NaN). */
    static double[] downsample(double[] values, int buckets) {
        double[] out = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * values.length / buckets);
            int to = (int) ((long) (b + 1) * values.length / buckets);
            double sum = 0;
            int n = 0;
            for (int i = from; i < Math.max(to, from + 1) && i < values.length; i++) {
                if (!Double.isNaN(values[i])) {
                    sum += values[i];
                    n++;
                }
            }
            out[b] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code max} (and at least 1). */
    static double niceCeiling(double max) {
        if (max <= 1) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= max) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static double last(double[] values) {
        for (int i = values.length - 1; i >= 0; i--) {
            if (!Double.isNaN(values[i])) {
                return values[i];
            }
        }
        return Double.NaN;
    }

    private static String clock(long epochSecond, long span) {
        String pattern = span > 6 * 3600 ? "MM-dd HH:mm" : "HH:mm:ss";
        return java.time.format.DateTimeFormatter.ofPattern(pattern).withZone(java.time.ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(epochSecond));
    }

    private static String axis(double value) {
        return value >= 10 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
