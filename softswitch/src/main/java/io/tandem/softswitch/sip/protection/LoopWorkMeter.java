package io.tandem.softswitch.sip.protection;

/**
 * How much of its time the busiest event loop spends working, from the loops' thread CPU times ({@link LoopLoad}):
 * sampled once per 100-ms step of {@link OverloadShedder}, and readable between samples without moving the sample.
 * Not thread-safe: the shedder calls it under its lock.
 */
final class LoopWorkMeter {
    private final LoopLoad load;
    private final long stepNanos;
    /** Per event loop: its thread's CPU time at the last sample, -1 when unknown. */
    private final long[] loopCpu;
    private long sampledAt;
    /** The busiest loop's share of time spent working in the last step (smoothed over two), NaN when unknown. */
    private double utilization = Double.NaN;

    LoopWorkMeter(LoopLoad load, long stepNanos, long now) {
        this.load = load;
        this.stepNanos = stepNanos;
        this.loopCpu = new long[Math.max(0, load.loopCount())];
        // from the start: the first INVITE after an idle start then finds the loops' work of that spell known
        for (int i = 0; i < loopCpu.length; i++) {
            loopCpu[i] = load.loopCpuNanos(i);
        }
        this.sampledAt = now;
    }

    /** The busiest loop's share of time spent working over the last step or two, 0..1; NaN when not measured. */
    double utilization() {
        return utilization;
    }

    /** Takes a sample: the busiest loop's working share since the last one, smoothed with it; skipped when too recent. */
    void sample(long now) {
        long elapsed = now - sampledAt;
        if (loopCpu.length == 0 || elapsed < stepNanos / 2) {
            return;
        }
        double busiest = busiestShareSinceSample(elapsed, true);
        sampledAt = now;
        if (!Double.isNaN(busiest)) {
            utilization = Double.isNaN(utilization) || elapsed > 2 * stepNanos ? busiest : (utilization + busiest) / 2;
        }
    }

    /** The busiest loop's working share since the last sample (read only, the sample stays); 0 when too recent to tell. */
    double sinceSample(long now) {
        long elapsed = now - sampledAt;
        if (elapsed < stepNanos / 10) {
            return 0;
        }
        double busiest = busiestShareSinceSample(elapsed, false);
        return Double.isNaN(busiest) ? 0 : busiest;
    }

    /**
     * The largest share of {@code elapsed} a loop worked since the last sample, NaN when none is measured;
     * {@code keep}: the CPU times read become the new sample.
     */
    private double busiestShareSinceSample(long elapsed, boolean keep) {
        double busiest = Double.NaN;
        for (int i = 0; i < loopCpu.length; i++) {
            long cpu = load.loopCpuNanos(i);
            if (cpu >= 0 && loopCpu[i] >= 0) {
                double u = Math.min(1.0, (double) (cpu - loopCpu[i]) / elapsed);
                busiest = Double.isNaN(busiest) ? u : Math.max(busiest, u);
            }
            if (keep) {
                loopCpu[i] = cpu;
            }
        }
        return busiest;
    }
}
