package io.tandem.softswitch.sip.bench;

import com.sun.management.ThreadMXBean;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;

/**
 * The work of {@link SipCodecBenchmark#parseAndSerialize} timed by thread CPU time instead of
 * wall time, with allocated bytes per message. On a shared machine wall-clock throughput says
 * more about the neighbours than about the code; CPU time says what one core would do.
 */
public final class SipCodecCpuProbe {
    private SipCodecCpuProbe() {
    }

    public static void main(String[] args) throws IOException {
        byte[] wire;
        try (InputStream s = SipCodecCpuProbe.class.getResourceAsStream("/sip/invite-sdp.sip")) {
            wire = s.readAllBytes();
        }
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        long sink = 0;
        for (int round = 0; round < 8; round++) {
            int n = 500_000;
            long cpu0 = mx.getCurrentThreadCpuTime();
            long alloc0 = mx.getThreadAllocatedBytes(id);
            for (int i = 0; i < n; i++) {
                byte[] b = wire.clone();
                SipRequest r = (SipRequest) ((SipParseResult.Parsed) SipParser.parse(b, 0, b.length)).message();
                sink += r.topVia().branch().length() + r.callId().length() + r.from().tag().length();
                out.reset();
                r.writeTo(out::write);
                sink += out.size();
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            long alloc = mx.getThreadAllocatedBytes(id) - alloc0;
            System.out.printf("round %d: %,.0f messages per CPU-second, %.0f ns CPU and %.0f bytes allocated per message%n",
                round, n / (cpu / 1e9), cpu / (double) n, alloc / (double) n);
        }
        System.out.println("checksum " + sink);
    }
}
