package io.tandem.softswitch.capture;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The hand-off from the event loops to the capture thread: a bounded ring with many producers and
 * one consumer (the scheme of Vyukov's and JCTools' MPSC array queues). {@link #offer} never waits
 * and never wakes anyone — one compare-and-set and one ordered store — and the consumer collects
 * what is there on its own clock. A blocking queue signalled the capture thread for every message
 * instead: measured at 500 CPS, about 9 wake-ups per call and some 190 µs of CPU per call between the
 * event loops' futex calls and the capture thread's context switches, several times the capture's
 * own work.
 *
 * <p>A full ring refuses ({@code false}); the caller counts the loss. {@link #drain} may be called by
 * one thread only.
 */
final class CaptureQueue<E> {
    private final int capacity;
    private final AtomicReferenceArray<E> slots;
    /** Next slot a producer claims; claimed by compare-and-set. */
    private final AtomicLong producerIndex = new AtomicLong();
    /** Next slot the consumer reads; written by the consumer only, with release order after nulling the slot. */
    private final AtomicLong consumerIndex = new AtomicLong();
    /** A bound below which producers need not read {@link #consumerIndex}: some consumer index seen plus the capacity. */
    private volatile long producerLimit;

    CaptureQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.slots = new AtomicReferenceArray<>(capacity);
        this.producerLimit = capacity;
    }

    /** Puts {@code item} last; false, and nothing put, when the ring is full. Any thread. */
    boolean offer(E item) {
        Objects.requireNonNull(item, "item");
        long limit = producerLimit;
        long claimed;
        do {
            claimed = producerIndex.get();
            if (claimed >= limit) {
                // the consumer nulled every slot below its index before publishing it, so the slot is free
                limit = consumerIndex.get() + capacity;
                if (claimed >= limit) {
                    return false;
                }
                producerLimit = limit;
            }
        } while (!producerIndex.compareAndSet(claimed, claimed + 1));
        slots.setRelease(slot(claimed), item);
        return true;
    }

    /**
     * Hands up to {@code max} items, oldest first, to {@code sink}; returns how many. Stops early at
     * a slot claimed by a producer that has not stored its item yet (the next call takes it).
     * Consumer thread only.
     */
    int drain(Consumer<? super E> sink, int max) {
        long next = consumerIndex.getPlain();
        int taken = 0;
        while (taken < max) {
            int slot = slot(next);
            E item = slots.getAcquire(slot);
            if (item == null) {
                break;
            }
            slots.setPlain(slot, null);
            next++;
            consumerIndex.setRelease(next);
            taken++;
            sink.accept(item);
        }
        return taken;
    }

    /** Items waiting (a moment's view). */
    int size() {
        long size = producerIndex.get() - consumerIndex.get();
        return (int) Math.max(0, Math.min(size, capacity));
    }

    private int slot(long index) {
        return (int) (index % capacity);
    }
}
