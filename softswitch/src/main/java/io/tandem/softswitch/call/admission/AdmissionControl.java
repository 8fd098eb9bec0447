package io.tandem.softswitch.call.admission;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.tandem.softswitch.call.CallRejection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Calls-per-second buckets (Bucket4j) and concurrent-call counters per scope: a customer account,
 * an ingress trunk or a vendor gateway. Limits are cluster-wide figures divided by the number of
 * live nodes, since counters are per node. Lock-free; safe from any thread.
 */
public final class AdmissionControl {

    private final ConcurrentHashMap<String, LimitedBucket> buckets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> concurrent = new ConcurrentHashMap<>();
    private final IntSupplier liveNodes;

    /** @param liveNodes how many nodes share the cluster-wide limits (at least 1) */
    public AdmissionControl(IntSupplier liveNodes) {
        this.liveNodes = liveNodes;
    }

    private record LimitedBucket(int perSecond, Bucket bucket) {
    }

    /**
     * Takes one call from the scope's CPS bucket.
     *
     * @param clusterCps the scope's cluster-wide limit, or null for none
     */
    public Optional<CallRejection> takeCps(String scope, Integer clusterCps) {
        if (clusterCps == null) {
            return Optional.empty();
        }
        int perNode = share(clusterCps);
        if (perNode == 0) {
            return Optional.of(new CallRejection.CpsLimitExceeded(scope, 1));
        }
        LimitedBucket limited = buckets.compute(scope, (key, existing) ->
                existing != null && existing.perSecond() == perNode ? existing : new LimitedBucket(perNode, newBucket(perNode)));
        ConsumptionProbe probe = limited.bucket().tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Optional.empty();
        }
        int retryAfter = (int) Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
        return Optional.of(new CallRejection.CpsLimitExceeded(scope, retryAfter));
    }

    /**
     * Takes a concurrent-call slot of the scope; the caller must {@link Slot#release()} it exactly
     * once when the call (or attempt) ends.
     *
     * @param clusterMax the scope's cluster-wide limit, or null for none
     */
    public Optional<Slot> takeSlot(String scope, Integer clusterMax) {
        AtomicInteger counter = concurrent.computeIfAbsent(scope, key -> new AtomicInteger());
        int max = clusterMax == null ? Integer.MAX_VALUE : share(clusterMax);
        while (true) {
            int current = counter.get();
            if (current >= max) {
                return Optional.empty();
            }
            if (counter.compareAndSet(current, current + 1)) {
                return Optional.of(new Slot(scope, counter));
            }
        }
    }

    /** Calls currently holding a slot of the scope on this node. */
    public int inUse(String scope) {
        AtomicInteger counter = concurrent.get(scope);
        return counter == null ? 0 : counter.get();
    }

    private int share(int clusterLimit) {
        int nodes = Math.max(1, liveNodes.getAsInt());
        if (clusterLimit == 0) {
            return 0;
        }
        return Math.max(1, clusterLimit / nodes);
    }

    private static Bucket newBucket(int perSecond) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build();
    }

    /** A held concurrent-call slot. Releasing twice is harmless: only the first release counts. */
    public static final class Slot {
        private final String scope;
        private final AtomicInteger counter;
        private final AtomicBoolean released = new AtomicBoolean();

        Slot(String scope, AtomicInteger counter) {
            this.scope = scope;
            this.counter = counter;
        }

        public String scope() {
            return scope;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                counter.decrementAndGet();
            }
        }
    }

    public static String accountScope(long accountId) {
        return "account " + accountId;
    }

    public static String trunkScope(long trunkId) {
        return "trunk " + trunkId;
    }

    public static String gatewayScope(long gatewayId) {
        return "gateway " + gatewayId;
    }
}
