package io.tandem.softswitch.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.softswitch.sip.testing.ManualClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadinessWaitTest {
    private final ManualClock loop = new ManualClock();
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void aStepWhoseMediaIsAlreadyReadyRunsAtOnceAndSchedulesNothing() {
        ReadinessWait.runOnce(loop, CompletableFuture.completedFuture(null), 1_000, runs::incrementAndGet);

        assertThat(runs).hasValue(1);
        assertThat(loop.pending()).isZero();
    }

    @Test
    void theStepRunsWhenTheMediaIsReadyAndNotAgainWhenTheBoundPasses() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        ReadinessWait.runOnce(loop, ready, 1_000, runs::incrementAndGet);
        loop.advance(300);
        assertThat(runs).hasValue(0);

        ready.complete(null);
        loop.advance(2_000);

        assertThat(runs).hasValue(1);
        assertThat(loop.pending()).isZero();
    }

    @Test
    void theStepRunsAtTheBoundWhenTheMediaNeverAnswersAndNotAgainWhenItLateDoes() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        ReadinessWait.runOnce(loop, ready, 1_000, runs::incrementAndGet);
        loop.advance(999);
        assertThat(runs).hasValue(0);
        loop.advance(1);
        assertThat(runs).hasValue(1);

        ready.complete(null);

        assertThat(runs).hasValue(1);
    }

    @Test
    void aMediaSideThatFailsReleasesTheStepAtOnce() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        ReadinessWait.runOnce(loop, ready, 1_000, runs::incrementAndGet);

        ready.completeExceptionally(new IllegalStateException("media node lost"));

        assertThat(runs).hasValue(1);
        assertThat(loop.pending()).isZero();
    }
}
