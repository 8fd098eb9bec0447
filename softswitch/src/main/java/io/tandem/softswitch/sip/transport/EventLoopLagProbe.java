package io.tandem.softswitch.sip.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.tandem.softswitch.sip.protection.LoopLoad;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Measures the node's event loops for {@link io.tandem.softswitch.sip.protection.OverloadShedder}:
 * each loop runs a tiny task every {@code interval} that notes how late it ran. A loop so busy that
 * its probe has not run yet counts as late by the time its probe has been waiting, so a stalled loop
 * is seen at once, not after it recovers. Waiting tasks are read from the loops' queues; the UDP
 * sockets' backlog comes from their {@link ReadBacklog} meters, the datagrams the kernel dropped at them from
 * {@link KernelUdpDrops}; how much of its time each loop works, from its
 * thread's CPU time (about a microsecond to read, once a step).
 */
final class EventLoopLagProbe implements LoopLoad {
    private final List<EventExecutor> loops = new ArrayList<>();
    private final long intervalNanos;
    /** Per loop: when its pending probe should run. */
    private final AtomicLongArray due;
    /** Per loop: how late its last probe ran. */
    private final AtomicLongArray lastLag;
    private final LongSupplier backlog;
    private final LongSupplier kernelDrops;
    /** Per loop: its thread's id for {@link ThreadMXBean#getThreadCpuTime(long)}, 0 until the loop has run a task. */
    private final AtomicLongArray threadIds;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final boolean cpuTimeMeasured;
    private volatile boolean stopped;

    EventLoopLagProbe(EventLoopGroup group, long intervalNanos) {
        this(group, intervalNanos, () -> 0L, () -> -1L);
    }

    /** @param kernelDrops datagrams the kernel dropped so far at the node's UDP sockets, negative when not known */
    EventLoopLagProbe(EventLoopGroup group, long intervalNanos, LongSupplier backlog, LongSupplier kernelDrops) {
        this.backlog = backlog;
        this.kernelDrops = kernelDrops;
        for (EventExecutor e : group) {
            loops.add(e);
        }
        this.intervalNanos = intervalNanos;
        this.due = new AtomicLongArray(loops.size());
        this.lastLag = new AtomicLongArray(loops.size());
        this.threadIds = new AtomicLongArray(loops.size());
        this.cpuTimeMeasured = threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        for (int i = 0; i < loops.size(); i++) {
            int loop = i;
            loops.get(i).execute(() -> threadIds.set(loop, Thread.currentThread().threadId()));
            schedule(i);
        }
    }

    private void schedule(int i) {
        if (stopped || loops.get(i).isShuttingDown()) {
            return;
        }
        due.set(i, System.nanoTime() + intervalNanos);
        loops.get(i).schedule(() -> probe(i), intervalNanos, TimeUnit.NANOSECONDS);
    }

    private void probe(int i) {
        lastLag.set(i, Math.max(0, System.nanoTime() - due.get(i)));
        schedule(i);
    }

    @Override
    public long worstLagNanos() {
        long now = System.nanoTime();
        long worst = 0;
        for (int i = 0; i < loops.size(); i++) {
            worst = Math.max(worst, Math.max(lastLag.get(i), now - due.get(i)));
        }
        return worst;
    }

    @Override
    public int worstPendingTasks() {
        int worst = 0;
        for (EventExecutor e : loops) {
            if (e instanceof SingleThreadEventExecutor s) {
                worst = Math.max(worst, s.pendingTasks());
            }
        }
        return worst;
    }

    @Override
    public long worstBacklogNanos() {
        return backlog.getAsLong();
    }

    @Override
    public long kernelDroppedDatagrams() {
        return kernelDrops.getAsLong();
    }

    @Override
    public int loopCount() {
        return cpuTimeMeasured ? loops.size() : 0;
    }

    @Override
    public long loopCpuNanos(int loop) {
        long id = threadIds.get(loop);
        return id == 0 ? -1 : threads.getThreadCpuTime(id);
    }

    void stop() {
        stopped = true;
    }
}
