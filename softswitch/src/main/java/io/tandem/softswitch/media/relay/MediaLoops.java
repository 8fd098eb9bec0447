package io.tandem.softswitch.media.relay;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The relay's event loops and how many port pairs each one carries now. A new call (or remote
 * session) goes to the loop carrying the fewest, ties taken in turn, so the loops stay evenly
 * loaded whatever the calls' lengths: a plain round-robin over calls piles long calls on whichever
 * loop their turn fell, and counts calls that were never anchored. Thread-safe; reads are racy by
 * design (two calls picked at the same moment may land on the same loop; the next ones even it out).
 */
final class MediaLoops {

    private final EventLoop[] loops;
    private final Map<EventLoop, Integer> indexOf = new IdentityHashMap<>();
    private final AtomicIntegerArray pairs;
    private final AtomicInteger turn = new AtomicInteger();

    MediaLoops(EventLoopGroup group) {
        List<EventLoop> all = new ArrayList<>();
        for (EventExecutor executor : group) {
            all.add((EventLoop) executor);
        }
        this.loops = all.toArray(EventLoop[]::new);
        for (int i = 0; i < loops.length; i++) {
            indexOf.put(loops[i], i);
        }
        this.pairs = new AtomicIntegerArray(loops.length);
    }

    /** The loop carrying the fewest port pairs; among equals, the next in turn. */
    EventLoop leastLoaded() {
        int start = Math.floorMod(turn.getAndIncrement(), loops.length);
        int best = start;
        int bestPairs = pairs.get(start);
        for (int k = 1; k < loops.length && bestPairs > 0; k++) {
            int i = (start + k) % loops.length;
            int n = pairs.get(i);
            if (n < bestPairs) {
                best = i;
                bestPairs = n;
            }
        }
        return loops[best];
    }

    void pairOpened(EventLoop loop) {
        pairs.incrementAndGet(indexOf.get(loop));
    }

    void pairClosed(EventLoop loop) {
        pairs.decrementAndGet(indexOf.get(loop));
    }

    /** Port pairs per loop now, in the group's order (for diagnosis: does every loop carry its share?). */
    int[] pairsPerLoop() {
        int[] out = new int[loops.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = pairs.get(i);
        }
        return out;
    }
}
