package io.tandem.softswitch.capture;

import com.sun.management.ThreadMXBean;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.softswitch.call.CallEvent;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.transport.WireMessage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * What the whole capture costs per call when its messages arrive as they do on a node — spread
 * over time from two event loops, not in one burst — timed by thread CPU time: two "event loop"
 * threads hand a {@link SipCapture} the 14 messages and 4 events of an answered call at a fixed
 * call rate, each item at its own moment, and the capture thread assembles, compresses and stores.
 * A run with {@code none} paces the same threads without a capture, so the difference is the
 * capture's (on a busy machine the pacing itself is noisy: the hand-over is also timed by the clock
 * around each call into the capture). Also reports the capture thread's voluntary context switches per call (Linux), the
 * mark of a hand-off that wakes the consumer per message. Run by hand (docs/performance.md, "SIP
 * capture"): {@code CaptureHandOffProbe [capture|none] [calls per second] [seconds] [copy]}.
 */
public final class CaptureHandOffProbe {
    private static final int LOOPS = 2;

    private CaptureHandOffProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean capture = args.length == 0 || !args[0].equals("none");
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        // "copy": the tap copies each message's octets, as it did before it shared the message's own array
        boolean copy = args.length > 3 && args[3].equals("copy");
        byte[][] call = CaptureCpuProbe.answeredCall();
        AtomicLong stored = new AtomicLong();
        CaptureSettings settings = new CaptureSettings(200, 256 * 1024, 64L << 20, 256L << 20, Duration.ofHours(24), Duration.ZERO, 65_536);
        CaptureStore store = new CaptureStore(settings, System::currentTimeMillis);
        SipCapture sip = new SipCapture(settings, true, null, (id, blob) -> {
            store.put(id, blob);
            stored.incrementAndGet();
        }, System::currentTimeMillis);
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 5060);
        InetSocketAddress customer = new InetSocketAddress("127.0.0.1", 5061);
        InetSocketAddress vendor = new InetSocketAddress("127.0.0.1", 5090);
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int itemsPerCall = call.length + 3;
        // each loop carries every LOOPS-th call; its items are spaced evenly in time
        long itemGapNanos = TimeUnit.SECONDS.toNanos(1) * LOOPS / ((long) rate * itemsPerCall);
        int callsPerLoop = rate * seconds / LOOPS;
        long[] loopCpu = new long[LOOPS];
        long[] handOffNanos = new long[LOOPS];
        long[] loopAllocated = new long[LOOPS];
        List<Thread> loops = new ArrayList<>();
        long ctx0 = captureThreadSwitches();
        long captureCpu0 = captureThreadCpu(mx);
        long captureAlloc0 = captureThreadAllocated(mx);
        for (int l = 0; l < LOOPS; l++) {
            int loop = l;
            loops.add(Thread.ofPlatform().name("probe-loop-" + l).start(() -> {
                long cpu0 = mx.getCurrentThreadCpuTime();
                long alloc0 = mx.getCurrentThreadAllocatedBytes();
                long next = System.nanoTime();
                for (int c = 0; c < callsPerLoop; c++) {
                    UUID id = new UUID(loop, c);
                    String a = "a-" + loop + "-" + c;
                    String b = "b-" + loop + "-" + c;
                    for (int item = 0; item < itemsPerCall; item++) {
                        next += itemGapNanos;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        if (!capture) {
                            continue;
                        }
                        long handOff0 = System.nanoTime();
                        if (item == 1) {
                            sip.on(CaptureFixtures.started(id, a));
                        } else if (item == 3) {
                            sip.on(new CallEvent.AttemptStarted(id, 1, b, 1));
                        } else if (item == itemsPerCall - 1) {
                            sip.on(new CallEvent.Ended(id, HangupSide.CALLER, 200, "bye"));
                        } else {
                            int m = item - (item > 3 ? 2 : item > 1 ? 1 : 0);
                            boolean customerLeg = m % 2 == 0;
                            sip.accept(new WireMessage(System.currentTimeMillis() * 1000, m % 4 < 2 ? WireMessage.Direction.IN : WireMessage.Direction.OUT,
                                SipTransport.UDP, local, customerLeg ? customer : vendor, customerLeg ? a : b, copy ? call[m].clone() : call[m]));
                        }
                        handOffNanos[loop] += System.nanoTime() - handOff0;
                    }
                }
                loopCpu[loop] = mx.getCurrentThreadCpuTime() - cpu0;
                loopAllocated[loop] = mx.getCurrentThreadAllocatedBytes() - alloc0;
            }));
        }
        for (Thread t : loops) {
            t.join();
        }
        long calls = (long) callsPerLoop * LOOPS;
        if (capture) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (stored.get() < calls && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        }
        long captureCpu = captureThreadCpu(mx) - captureCpu0;
        long captureAlloc = captureThreadAllocated(mx) - captureAlloc0;
        long switches = captureThreadSwitches() - ctx0;
        long loopsCpu = 0;
        long handOff = 0;
        long loopsAlloc = 0;
        for (int l = 0; l < LOOPS; l++) {
            loopsCpu += loopCpu[l];
            loopsAlloc += loopAllocated[l];
            handOff += handOffNanos[l];
        }
        System.out.printf("%s at %d calls/s for %d s: event loops %.1f µs CPU per call (of which handing over, by the clock, %.1f µs), "
                + "capture thread %.1f µs per call, %.2f capture-thread wake-ups per call; allocated per call: event loops %,.0f bytes, "
                + "capture thread %,.0f bytes; %d of %d calls stored, %d queue-full%n",
            capture ? "capture" : "none", rate, seconds, loopsCpu / 1e3 / calls, handOff / 1e3 / calls, captureCpu / 1e3 / calls,
            switches / (double) calls, loopsAlloc / (double) calls, captureAlloc / (double) calls, stored.get(), calls, sip.queueFull());
        sip.close();
    }

    private static long captureThreadCpu(ThreadMXBean mx) {
        Thread t = captureThread();
        return t == null ? 0 : mx.getThreadCpuTime(t.threadId());
    }

    private static long captureThreadAllocated(ThreadMXBean mx) {
        Thread t = captureThread();
        return t == null ? 0 : mx.getThreadAllocatedBytes(t.threadId());
    }

    private static Thread captureThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("sip-capture")) {
                return t;
            }
        }
        return null;
    }

    /** Voluntary context switches of the thread named sip-capture, from /proc (0 where there is none). */
    private static long captureThreadSwitches() throws IOException {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return 0;
        }
        try (Stream<Path> all = Files.list(tasks)) {
            for (Path task : all.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals("sip-capture")) {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                }
            }
        }
        return 0;
    }
}
