package io.tandem.routing.bench;

import io.tandem.routing.RouteTable;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap retained by a 1,000,000-rate table: used heap after full collections with and without the
 * table, divided by the rates. Run with {@code -Xmx4g -XX:+UseSerialGC} so the numbers are stable:
 * see docs/performance-routing.md.
 */
public final class RouteTableHeap {

    private RouteTableHeap() {
    }

    public static void main(String[] args) {
        SyntheticDecks data = SyntheticDecks.generate(RouteTableBenchmark.VENDORS, RouteTableBenchmark.CODES, 42);
        long before = settledUsedHeap();
        RouteTable table = RouteTableBenchmark.build(data, 50);
        long after = settledUsedHeap();
        long bytes = after - before;
        System.out.printf("rates %,d, distinct prefixes %,d, retained %,d bytes = %.1f bytes per rate%n",
                table.rateCount(), table.prefixCount(), bytes, (double) bytes / table.rateCount());
        // keep the table reachable until measured
        if (table.version() < 0) {
            System.out.println(table);
        }
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
