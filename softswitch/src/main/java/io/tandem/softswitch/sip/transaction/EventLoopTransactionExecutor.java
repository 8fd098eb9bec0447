package io.tandem.softswitch.sip.transaction;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs transactions and their timers on one Netty event loop.
 *
 * <p>Coarse timers ({@link #scheduleCoarse}) live in a timing wheel of {@value #TICK_MILLIS} ms
 * slots on the loop: adding and cancelling is O(1), where Netty's scheduled-task heap (which
 * holds every transaction's 32 s timer at thousands of calls a second: about 100,000 entries per
 * loop) costs a sift through the heap for each, on the loop thread, plus two objects per timer.
 */
public final class EventLoopTransactionExecutor implements TransactionExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoopTransactionExecutor.class);

    /** Resolution of coarse timers: they fire up to this much after their delay. */
    static final long TICK_MILLIS = 50;
    /** Shorter delays (first retransmissions) stay on Netty's exact scheduler. */
    static final long COARSE_FROM_MILLIS = 1000;
    /** Slots in the wheel: one turn is 51.2 s, longer delays wait for their turn in their slot. */
    private static final int SLOTS = 1024;

    private final EventExecutor loop;
    private final ArrayDeque<CoarseTimer>[] wheel;
    private final long startNanos = System.nanoTime();
    /** Ticks processed so far; touched only on the loop. */
    private long processedTick;
    private ScheduledFuture<?> ticker;

    public EventLoopTransactionExecutor(EventExecutor loop) {
        this(loop, SLOTS);
    }

    /** With a wheel of {@code slots} slots (tests turn a small wheel several times). */
    @SuppressWarnings("unchecked")
    EventLoopTransactionExecutor(EventExecutor loop, int slots) {
        this.loop = loop;
        this.wheel = new ArrayDeque[slots];
    }

    public EventExecutor loop() {
        return loop;
    }

    @Override
    public void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        ScheduledFuture<?> f = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Cancellable scheduleCoarse(Runnable task, long delayMillis) {
        if (delayMillis < COARSE_FROM_MILLIS || !loop.inEventLoop()) {
            return schedule(task, delayMillis);
        }
        if (ticker == null) {
            ticker = loop.scheduleAtFixedRate(this::advance, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
        long dueTick = currentTick() + Math.max(1, (delayMillis + TICK_MILLIS - 1) / TICK_MILLIS);
        CoarseTimer timer = new CoarseTimer(task, dueTick);
        int slot = (int) (dueTick % wheel.length);
        ArrayDeque<CoarseTimer> queue = wheel[slot];
        if (queue == null) {
            queue = new ArrayDeque<>();
            wheel[slot] = queue;
        }
        queue.add(timer);
        return timer;
    }

    private long currentTick() {
        return (System.nanoTime() - startNanos) / TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    }

    /** On the loop: runs the timers of every slot passed since the last call. */
    private void advance() {
        long now = currentTick();
        while (processedTick < now) {
            processedTick++;
            ArrayDeque<CoarseTimer> queue = wheel[(int) (processedTick % wheel.length)];
            if (queue == null || queue.isEmpty()) {
                continue;
            }
            for (int n = queue.size(); n > 0; n--) {
                CoarseTimer timer = queue.poll();
                if (timer.dueTick > processedTick) {
                    queue.add(timer);   // a later turn of the wheel
                } else {
                    try {
                        timer.fire();
                    } catch (RuntimeException e) {
                        // The wheel must go on turning: a throwing task would end the periodic ticker.
                        LOG.error("Transaction timer failed", e);
                    }
                }
            }
        }
    }

    /** A coarse timer; cancelled on the loop it was scheduled on. */
    private static final class CoarseTimer implements Cancellable {
        private Runnable task;
        final long dueTick;

        CoarseTimer(Runnable task, long dueTick) {
            this.task = task;
            this.dueTick = dueTick;
        }

        void fire() {
            Runnable t = task;
            task = null;
            if (t != null) {
                t.run();
            }
        }

        @Override
        public void cancel() {
            task = null;   // lets go of the transaction now; the slot forgets the timer when passed
        }
    }
}
