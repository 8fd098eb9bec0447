package io.tandem.softswitch.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The coarse timer wheel on a real event loop, with real time. */
class EventLoopTransactionExecutorTest {

    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void coarseTimersFireInOrderNoEarlierThanAskedAndCancelledOnesNever() throws Exception {
        // 8 slots of 50 ms: a 1,000 ms timer waits for the wheel's third turn, a 130 ms one for its first.
        EventLoopTransactionExecutor executor = new EventLoopTransactionExecutor(loop, 8);
        List<String> fired = new CopyOnWriteArrayList<>();
        List<Long> firedAfterMillis = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> last = new CompletableFuture<>();
        long[] start = new long[1];
        loop.submit(() -> {
            start[0] = System.nanoTime();
            executor.scheduleCoarse(() -> record("long", start[0], fired, firedAfterMillis, last), 1_000);
            executor.scheduleCoarse(() -> record("short", start[0], fired, firedAfterMillis, null), 130);
            TransactionExecutor.Cancellable cancelled =
                    executor.scheduleCoarse(() -> record("cancelled", start[0], fired, firedAfterMillis, null), 400);
            executor.scheduleCoarse(() -> {
                throw new IllegalStateException("a failing timer must not stop the others");
            }, 300);
            cancelled.cancel();
        }).syncUninterruptibly();

        last.get(5, TimeUnit.SECONDS);
        Thread.sleep(200);   // a cancelled timer that fired anyway would show up now

        assertThat(fired).containsExactly("short", "long");
        assertThat(firedAfterMillis.get(0)).isBetween(130L, 130L + 400);
        assertThat(firedAfterMillis.get(1)).isBetween(1_000L, 1_000L + 400);
    }

    private static void record(String name, long startNanos, List<String> fired, List<Long> afterMillis,
                               CompletableFuture<Void> done) {
        fired.add(name);
        afterMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        if (done != null) {
            done.complete(null);
        }
    }
}
