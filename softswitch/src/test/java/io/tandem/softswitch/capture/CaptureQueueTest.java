package io.tandem.softswitch.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The hand-off from the event loops to the capture thread: nothing lost, nothing twice, each producer's order kept, a full ring refuses. */
class CaptureQueueTest {

    @Test
    void aFullRingRefusesAndTakesAgainOnceTheConsumerHasCollected() {
        CaptureQueue<String> queue = new CaptureQueue<>(3);
        assertThat(queue.offer("a")).isTrue();
        assertThat(queue.offer("b")).isTrue();
        assertThat(queue.offer("c")).isTrue();
        assertThat(queue.offer("d")).as("full").isFalse();
        assertThat(queue.size()).isEqualTo(3);

        List<String> got = new ArrayList<>();
        assertThat(queue.drain(got::add, 2)).isEqualTo(2);
        assertThat(got).containsExactly("a", "b");
        assertThat(queue.offer("e")).isTrue();
        assertThat(queue.offer("f")).isTrue();
        assertThat(queue.offer("g")).isFalse();

        assertThat(queue.drain(got::add, 100)).isEqualTo(3);
        assertThat(got).containsExactly("a", "b", "c", "e", "f");
        assertThat(queue.drain(got::add, 100)).isZero();
        assertThat(queue.size()).isZero();
    }

    /** Four producers racing one consumer around a small ring many times over: every item arrives once, in each producer's order. */
    @Test
    void manyProducersOneConsumerLoseNothingAndKeepEachProducersOrder() throws InterruptedException {
        int producers = 4;
        int perProducer = 20_000;
        CaptureQueue<long[]> queue = new CaptureQueue<>(64);
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    long[] item = {producer, i};
                    while (!queue.offer(item)) {
                        refused.incrementAndGet();
                        Thread.yield();
                    }
                }
            }));
        }
        long[] nextOf = new long[producers];
        long[] received = {0};
        List<String> disorder = new ArrayList<>();
        start.countDown();
        while (received[0] < (long) producers * perProducer) {
            queue.drain(item -> {
                int producer = (int) item[0];
                if (item[1] != nextOf[producer] && disorder.size() < 5) {
                    disorder.add("producer " + producer + ": expected " + nextOf[producer] + ", got " + item[1]);
                }
                nextOf[producer] = item[1] + 1;
                received[0]++;
            }, 16);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(disorder).isEmpty();
        assertThat(nextOf).containsOnly(perProducer);
        assertThat(queue.drain(item -> received[0]++, 100)).as("nothing left over, nothing twice").isZero();
        assertThat(refused.get()).as("the ring was full at times, so the wrap-around was exercised").isPositive();
    }
}
