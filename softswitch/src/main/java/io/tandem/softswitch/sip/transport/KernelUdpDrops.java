package io.tandem.softswitch.sip.transport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many datagrams the kernel has dropped at the node's UDP sockets because their receive queue was full: what
 * Linux counts per socket in the last column of {@code /proc/self/net/udp} and {@code udp6}, summed over the sockets
 * bound to the node's SIP port. A datagram dropped there was never read, so the node's own meters cannot see it.
 * One daemon thread ({@code sip-udp-drops}) reads the tables every {@value #SAMPLE_MILLIS} ms, less often when they are
 * long (see {@link #WAIT_PER_READ_COST}), off the event loops;
 * readers get the last sample with a volatile read. Without the tables (not Linux) the count is unknown (-1).
 */
final class KernelUdpDrops implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KernelUdpDrops.class);
    /** How often the tables are read at most: the shedder's own step. */
    static final long SAMPLE_MILLIS = 100;
    /**
     * The tables list every UDP socket of the network namespace (a media relay's too), and reading them costs the kernel
     * time for each: measured 10.6 ms of CPU a read with 4,000 sockets open (512 KB of table, on the 2-core box under
     * load). So the thread waits this many times as long as its last read took before the next one, spending at most
     * about 1 % of a core: a node relaying thousands of calls sees its drops once a second rather than ten times.
     */
    static final long WAIT_PER_READ_COST = 100;
    private static final List<Path> TABLES = List.of(Path.of("/proc/self/net/udp"), Path.of("/proc/self/net/udp6"));

    private final int port;
    private final Thread sampler;
    private volatile long dropped = -1;
    private volatile boolean closed;

    KernelUdpDrops(int port) {
        this.port = port;
        this.sampler = Files.isReadable(TABLES.getFirst())
            ? Thread.ofPlatform().name("sip-udp-drops").daemon().start(this::run)
            : null;
    }

    /** Datagrams dropped so far at the port's sockets; -1 when not known. */
    long dropped() {
        return dropped;
    }

    /**
     * Sums the {@code drops} column of the rows of a {@code /proc/net/udp}-style table whose local port is
     * {@code port}; rows that do not have the table's shape are skipped.
     */
    static long droppedAt(String table, int port) {
        String portHex = String.format(":%04X", port);
        long sum = 0;
        for (String line : table.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            // sl, local_address, rem_address, st, tx_queue:rx_queue, tr:tm->when, retrnsmt, uid, timeout, inode, ref, pointer, drops;
            // the header row and rows of other ports are skipped
            String drops = fields[fields.length - 1];
            if (fields.length >= 13 && fields[0].endsWith(":") && fields[1].endsWith(portHex) && isCount(drops)) {
                sum += Long.parseLong(drops);
            }
        }
        return sum;
    }

    private static boolean isCount(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private void run() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean costKnown = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        while (!closed) {
            long cpuBefore = costKnown ? threads.getCurrentThreadCpuTime() : 0;
            try {
                long sum = 0;
                for (Path table : TABLES) {
                    if (Files.isReadable(table)) {
                        sum += droppedAt(Files.readString(table, StandardCharsets.US_ASCII), port);
                    }
                }
                dropped = sum;
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot read the kernel's UDP drop counts ({}); overload shedding goes on without them", e.toString());
                dropped = -1;
                return;
            }
            long cost = costKnown ? threads.getCurrentThreadCpuTime() - cpuBefore : 0;
            LockSupport.parkNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(SAMPLE_MILLIS), WAIT_PER_READ_COST * cost));
        }
    }

    @Override
    public void close() {
        closed = true;
        if (sampler != null) {
            LockSupport.unpark(sampler);
        }
    }
}
