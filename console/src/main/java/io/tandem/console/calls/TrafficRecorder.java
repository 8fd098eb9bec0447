package io.tandem.console.calls;

import io.tandem.softswitch.call.CallEvent;
import io.tandem.softswitch.call.CallObserver;
import io.tandem.softswitch.call.CallState;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * This node's traffic for the dashboard: a {@link CallObserver} that counts calls as they start,
 * ring, answer and end, and a sampler ({@link #tick}) that closes one 1-s point per second into a
 * ring of {@link #SECOND_POINTS} (15 min) and one 60-s point per minute into a ring of
 * {@link #MINUTE_POINTS} (24 h). Memory is bounded: two rings plus one small entry per live call.
 *
 * <p>{@link #on} runs on the calls' event loops and only touches adders and a concurrent map; the
 * rings are written by the sampler thread and read under their own lock.
 */
public final class TrafficRecorder implements CallObserver {

    public static final int SECOND_POINTS = 15 * 60;
    public static final int MINUTE_POINTS = 24 * 60;

    /** Which ring to read. */
    public enum Resolution {
        SECOND(1, SECOND_POINTS), MINUTE(60, MINUTE_POINTS);

        final int seconds;
        final int capacity;

        Resolution(int seconds, int capacity) {
            this.seconds = seconds;
            this.capacity = capacity;
        }
    }

    /** Start and (once rung or answered) answer-side times of a live call, in nanoseconds. */
    private static final class Timing {
        final long startedNanos;
        volatile long answeredNanos;
        volatile boolean pddCounted;

        Timing(long startedNanos) {
            this.startedNanos = startedNanos;
        }
    }

    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<UUID, Timing> live = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder started = new LongAdder();
    private final LongAdder ended = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder answeredMillis = new LongAdder();
    private final LongAdder pddCalls = new LongAdder();
    private final LongAdder pddMillis = new LongAdder();
    private final Ring seconds = new Ring(SECOND_POINTS);
    private final Ring minutes = new Ring(MINUTE_POINTS);
    private TrafficPoint minute;

    public TrafficRecorder(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public void on(CallEvent event) {
        switch (event) {
            case CallEvent.Started s -> {
                live.put(s.callId(), new Timing(nanoTime.getAsLong()));
                active.incrementAndGet();
                started.increment();
            }
            case CallEvent.StateChanged changed -> {
                Timing timing = live.get(changed.callId());
                if (timing == null) {
                    return;
                }
                if ((changed.state() == CallState.RINGING || changed.state() == CallState.ANSWERED) && !timing.pddCounted) {
                    timing.pddCounted = true;
                    pddCalls.increment();
                    pddMillis.add((nanoTime.getAsLong() - timing.startedNanos) / 1_000_000);
                }
                if (changed.state() == CallState.ANSWERED) {
                    timing.answeredNanos = nanoTime.getAsLong();
                }
            }
            case CallEvent.Ended e -> {
                Timing timing = live.remove(e.callId());
                if (timing == null) {
                    return;
                }
                active.decrementAndGet();
                ended.increment();
                if (timing.answeredNanos != 0) {
                    answered.increment();
                    answeredMillis.add((nanoTime.getAsLong() - timing.answeredNanos) / 1_000_000);
                }
            }
            case CallEvent.AttemptStarted ignored -> {
            }
        }
    }

    /**
     * Closes the second that ends at {@code epochSecond}: its counts become the 1-s point
     * {@code epochSecond - 1}, and a finished minute becomes a 60-s point. Called once a second by
     * one thread; a late tick folds the missed seconds into its point.
     */
    public synchronized void tick(long epochSecond) {
        TrafficPoint point = new TrafficPoint(epochSecond - 1, 1, started.sumThenReset(), ended.sumThenReset(),
                answered.sumThenReset(), answeredMillis.sumThenReset(), pddCalls.sumThenReset(), pddMillis.sumThenReset(),
                Math.max(0, active.get()));
        seconds.add(point);
        long minuteStart = Math.floorDiv(point.at(), 60) * 60;
        if (minute != null && minute.at() != minuteStart) {
            minutes.add(minute);
            minute = null;
        }
        minute = minute == null
                ? new TrafficPoint(minuteStart, 60, point.started(), point.ended(), point.answered(), point.answeredMillis(),
                        point.pddCalls(), point.pddMillis(), point.activeCalls())
                : new TrafficPoint(minuteStart, 60, minute.started() + point.started(), minute.ended() + point.ended(),
                        minute.answered() + point.answered(), minute.answeredMillis() + point.answeredMillis(),
                        minute.pddCalls() + point.pddCalls(), minute.pddMillis() + point.pddMillis(),
                        Math.max(minute.activeCalls(), point.activeCalls()));
    }

    /** The points of a ring, oldest first; the minute ring ends with the minute under way. */
    public synchronized List<TrafficPoint> points(Resolution resolution) {
        if (resolution == Resolution.SECOND) {
            return seconds.toList();
        }
        List<TrafficPoint> out = minutes.toList();
        if (minute != null) {
            List<TrafficPoint> withCurrent = new ArrayList<>(out.size() + 1);
            withCurrent.addAll(out);
            withCurrent.add(minute);
            return withCurrent;
        }
        return out;
    }

    /** Calls up now, as this recorder counted them. */
    public int activeCalls() {
        return Math.max(0, active.get());
    }

    /** A fixed-size ring of points; the oldest is overwritten. Guarded by the recorder's lock. */
    private static final class Ring {
        private final TrafficPoint[] points;
        private int next;
        private int size;

        Ring(int capacity) {
            points = new TrafficPoint[capacity];
        }

        void add(TrafficPoint point) {
            points[next] = point;
            next = (next + 1) % points.length;
            size = Math.min(size + 1, points.length);
        }

        List<TrafficPoint> toList() {
            List<TrafficPoint> out = new ArrayList<>(size);
            int first = (next - size + points.length) % points.length;
            for (int i = 0; i < size; i++) {
                out.add(points[(first + i) % points.length]);
            }
            return List.copyOf(out);
        }
    }
}
