package io.tandem.softswitch.registrar;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The figure of docs/performance.md "Registrations": N registrations spread over 3 nodes (three real SIP
 * stacks and registrars on loopback, each peer of the other two, in one JVM), each change sent to both
 * peers as a sealed MESSAGE over UDP. Reports the sync lag (send to applied at the peer) percentiles and
 * the heap each node spends per binding. Run by docs/bench/registrations-sync.sh.
 *
 * <pre>java ... io.tandem.softswitch.registrar.RegistrationSyncProbe [registrations=50000] [per-second=2000]</pre>
 */
public final class RegistrationSyncProbe {

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int perSecond = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int[] ports = {ThreeNodeRegistrarTest.freeUdpPort(), ThreeNodeRegistrarTest.freeUdpPort(), ThreeNodeRegistrarTest.freeUdpPort()};
        List<ThreeNodeRegistrarTest.Node> nodes = new ArrayList<>();
        ConcurrentLinkedQueue<Long> lags = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 3; i++) {
            List<ClusterSync.Peer> peers = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    peers.add(new ClusterSync.Peer("node-" + (j + 1), "127.0.0.1", ports[j]));
                }
            }
            String name = "node-" + (i + 1);
            RegistrarSettings settings = RegistrarSettings.defaults(name).withCaps(total, total + 1000);
            nodes.add(ThreeNodeRegistrarTest.start(name, ports[i], peers, settings));
        }
        for (ThreeNodeRegistrarTest.Node node : nodes) {
            syncOf(node.registrar()).onLag(lags::add);
        }
        long heapBefore = usedHeapAfterGc();
        long started = System.nanoTime();
        List<CompletableFuture<Registrations.Outcome>> outcomes = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            long due = started + (long) i * 1_000_000_000L / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                // parked, not spinning: on a shared 2-core box a spinning driver takes a core from the nodes
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            InetSocketAddress phone = new InetSocketAddress(address(i), 5060);
            String aor = "u" + i;
            Registrations.Request request = new Registrations.Request(aor, ThreeNodeRegistrarTest.TRUNK, phone, "UDP",
                    "reg-" + i + "@" + phone.getAddress().getHostAddress(), 1, false,
                    List.of(new Registrations.ContactAsk("sip:" + aor + "@" + phone.getAddress().getHostAddress() + ":5060;transport=udp", 3600)));
            outcomes.add(nodes.get(i % 3).registrar().register(request));
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get();
        long refused = outcomes.stream().filter(f -> f.join() instanceof Registrations.Outcome.Refused).count();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (nodes.stream().anyMatch(n -> n.registrar().stats().bindings() < total) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("registered %,d (%d refused) in %.1f s; bindings per node: %s%n", total, refused, seconds,
                nodes.stream().map(n -> n.registrar().stats().bindings() + " (own " + n.registrar().stats().ownBindings() + ")").toList());
        for (ThreeNodeRegistrarTest.Node node : nodes) {
            System.out.println(node.name() + " sync " + node.registrar().stats().sync());
        }
        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("sync lag over %,d applied events (ms): p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f%n", sorted.length,
                percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99), percentile(sorted, 0.999),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
        // Completed server and client transactions linger for Timer J/K (32 s over UDP): wait them out before weighing.
        Thread.sleep(Duration.ofSeconds(36).toMillis());
        lags.clear();
        long heapAfter = usedHeapAfterGc();
        long held = nodes.stream().mapToLong(n -> n.registrar().stats().bindings()).sum();
        System.out.printf("heap: %,d bytes more for %,d bindings held by the 3 nodes together: %,d bytes per binding per node%n",
                heapAfter - heapBefore, held, (heapAfter - heapBefore) / Math.max(1, held));
        nodes.forEach(node -> node.stack().close());
        System.exit(0);
    }

    /** 127.x.y.z, distinct per registration: each phone has its own address. */
    private static InetAddress address(int i) throws UnknownHostException {
        int n = i + 256 * 256 + 2;
        return InetAddress.getByAddress(new byte[] {127, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
    }

    private static ClusterSync syncOf(Registrar registrar) {
        return registrar.sync();
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private RegistrationSyncProbe() {
    }

}
