package io.tandem.softswitch.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lag probe on a real Netty event loop: a stalled loop is seen while it is stalled, not after. */
class EventLoopLagProbeTest {

    @Test
    void aLoopBusyWithOneLongTaskIsSeenLateWhileItIsBusyAndOnTimeAfterwards() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoopLagProbe probe = new EventLoopLagProbe(group, TimeUnit.MILLISECONDS.toNanos(10));
            // An idle loop is on time (polled: on a busy machine the loop's thread itself may wait for a core).
            awaitOnTime(probe);
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            group.next().execute(() -> {
                busy.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            busy.await();
            Thread.sleep(200);
            assertThat(probe.worstLagNanos()).as("the stalled loop, while stalled")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
            release.countDown();
            awaitOnTime(probe);
            probe.stop();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aLoopsWorkIsItsThreadsCpuTimeAndAWaitingLoopUsesNone() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoopLagProbe probe = new EventLoopLagProbe(group, TimeUnit.MILLISECONDS.toNanos(10));
            assertThat(probe.loopCount()).isEqualTo(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (probe.loopCpuNanos(0) < 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long idleFrom = probe.loopCpuNanos(0);
            Thread.sleep(200);
            long idle = probe.loopCpuNanos(0) - idleFrom;
            long busyFrom = probe.loopCpuNanos(0);
            CountDownLatch done = new CountDownLatch(1);
            group.next().execute(() -> {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                long spins = 0;
                while (System.nanoTime() < until) {
                    spins++;
                }
                assertThat(spins).isPositive();
                done.countDown();
            });
            done.await(5, TimeUnit.SECONDS);
            long busy = probe.loopCpuNanos(0) - busyFrom;
            // Spinning for 200 ms of wall time is at most 200 ms of CPU, and at least some of it even on a loaded machine.
            assertThat(busy).as("CPU time of 200 ms of work").isBetween(TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.MILLISECONDS.toNanos(260));
            assertThat(idle).as("CPU time of 200 ms of waiting (probes only)").isLessThan(busy / 2);
            probe.stop();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void awaitOnTime(EventLoopLagProbe probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (probe.worstLagNanos() >= TimeUnit.MILLISECONDS.toNanos(40) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(probe.worstLagNanos()).as("on time").isLessThan(TimeUnit.MILLISECONDS.toNanos(40));
    }
}
