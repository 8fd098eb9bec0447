package io.tandem.softswitch.sip.testing;

import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A transaction executor whose time moves only when the test says so; tasks run on the test thread. */
public final class ManualClock implements TransactionExecutor {
    private record Task(long due, long seq, Runnable run) {
    }

    private final List<Task> tasks = new ArrayList<>();
    private long now;
    private long seq;

    public long now() {
        return now;
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        Task t = new Task(now + delayMillis, seq++, task);
        tasks.add(t);
        return () -> tasks.remove(t);
    }

    /** Moves time forward, running every task that falls due, in order. */
    public void advance(long millis) {
        long target = now + millis;
        while (true) {
            Task next = tasks.stream().filter(t -> t.due() <= target)
                .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::seq)).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            now = next.due();
            next.run().run();
        }
        now = target;
    }

    public int pending() {
        return tasks.size();
    }
}
