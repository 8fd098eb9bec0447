package io.tandem.routing.bench;

import io.tandem.routing.DeckDirection;
import io.tandem.routing.RouteTable;
import java.lang.ref.Reference;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap retained by a 1,000,000-rate table: used heap after full collections with and without the
 * table, divided by the rates. Run with {@code -Xmx4g -XX:+UseSerialGC} so the numbers are stable:
 * see docs/performance.md.
 */
public final class RouteTableHeap {

    private RouteTableHeap() {
    }

    public static void main(String[] args) {
        SyntheticDecks data = SyntheticDecks.generate(RouteTableBenchmark.VENDORS, RouteTableBenchmark.CODES, 42);
        long before = settledUsedHeap();
        RouteTable table = RouteTableBenchmark.build(data, 50);
        long used = settledUsedHeap();
        // the input must stay alive through the measurement, or its collection hides the table's size
        Reference.reachabilityFence(data);
        report("50 vendors x 20,000 codes", table, used - before);

        // the worst case for the trie: one deck of 1,000,000 distinct 9-digit codes, shared by nothing
        data = null;
        table = null;
        SplittableRandom random = new SplittableRandom(11);
        Set<String> seen = new HashSet<>();
        String[] codes = new String[1_000_000];
        for (int i = 0; i < codes.length; ) {
            String code = (1 + random.nextInt(9)) + Long.toString(random.nextLong(10_000_000L, 100_000_000L));
            if (seen.add(code)) {
                codes[i++] = code;
            }
        }
        seen = null;
        before = settledUsedHeap();
        RouteTable.Builder builder = RouteTable.builder(1).deck(1, 1, DeckDirection.BUY, "EUR");
        for (String code : codes) {
            builder.rate(1, code, "Destination " + code.substring(0, 3), 10_000, 0, 60, 60, 0, RouteTable.OPEN_ENDED, false);
        }
        builder = builder.deck(2, 2, DeckDirection.SELL, "EUR");
        table = builder.build();
        builder = null;
        used = settledUsedHeap();
        Reference.reachabilityFence(codes);
        report("1 deck x 1,000,000 distinct codes", table, used - before);
    }

    private static void report(String scenario, RouteTable table, long bytes) {
        System.out.printf("%s: rates %,d, distinct prefixes %,d, retained %,d bytes = %.1f bytes per rate%n",
                scenario, table.rateCount(), table.prefixCount(), bytes, (double) bytes / table.rateCount());
    }

    private static long settledUsedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
