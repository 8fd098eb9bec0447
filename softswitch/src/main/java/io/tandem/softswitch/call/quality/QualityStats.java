package io.tandem.softswitch.call.quality;

import io.tandem.routing.VendorQuality;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answer-seizure ratio, average call duration and post-dial delay per vendor gateway and per
 * customer account, over a sliding window of the last {@value #WINDOW} attempts. Fed by the call
 * engine; read by routing's quality strategy (as a {@link VendorQuality}) and by metrics.
 */
public final class QualityStats implements VendorQuality {

    static final int WINDOW = 200;

    private final ConcurrentHashMap<Long, Window> gateways = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Window> customers = new ConcurrentHashMap<>();

    /** A snapshot for display. */
    public record Snapshot(int attempts, double asrPercent, double acdSeconds, double pddMillis) {
    }

    /** Records one attempt: answered or not, its billed duration and its PDD (ms, or -1 if unknown). */
    public void record(long gatewayId, long customerAccountId, boolean answered, long durationMillis, long pddMillis) {
        gateways.computeIfAbsent(gatewayId, id -> new Window()).add(answered, durationMillis, pddMillis);
        customers.computeIfAbsent(customerAccountId, id -> new Window()).add(answered, durationMillis, pddMillis);
    }

    public Snapshot gateway(long gatewayId) {
        Window window = gateways.get(gatewayId);
        return window == null ? new Snapshot(0, 0, 0, 0) : window.snapshot();
    }

    public Snapshot customer(long accountId) {
        Window window = customers.get(accountId);
        return window == null ? new Snapshot(0, 0, 0, 0) : window.snapshot();
    }

    /** ASR x ACD: how many billed seconds an attempt brings. Unknown vendors score neutral. */
    @Override
    public double score(long vendorAccountId, long gatewayId, String prefix) {
        Window window = gateways.get(gatewayId);
        if (window == null) {
            return 0.0;
        }
        Snapshot s = window.snapshot();
        return s.attempts() < 10 ? 0.0 : s.asrPercent() / 100.0 * s.acdSeconds();
    }

    /** A ring buffer of the last attempts; synchronized per window (short critical sections). */
    private static final class Window {
        private final boolean[] answered = new boolean[WINDOW];
        private final long[] duration = new long[WINDOW];
        private final long[] pdd = new long[WINDOW];
        private int next;
        private int size;

        synchronized void add(boolean wasAnswered, long durationMillis, long pddMillis) {
            answered[next] = wasAnswered;
            duration[next] = durationMillis;
            pdd[next] = pddMillis;
            next = (next + 1) % WINDOW;
            size = Math.min(size + 1, WINDOW);
        }

        synchronized Snapshot snapshot() {
            int answeredCount = 0;
            long totalDuration = 0;
            long totalPdd = 0;
            int pddCount = 0;
            for (int i = 0; i < size; i++) {
                if (answered[i]) {
                    answeredCount++;
                    totalDuration += duration[i];
                }
                if (pdd[i] >= 0) {
                    totalPdd += pdd[i];
                    pddCount++;
                }
            }
            return new Snapshot(size, size == 0 ? 0 : 100.0 * answeredCount / size,
                    answeredCount == 0 ? 0 : totalDuration / 1000.0 / answeredCount,
                    pddCount == 0 ? 0 : (double) totalPdd / pddCount);
        }
    }
}
