package io.tandem.softswitch.capture;

import com.sun.management.ThreadMXBean;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.softswitch.call.CallEvent;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.transport.WireMessage;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What capturing one call costs in CPU, timed by thread CPU time (on a shared machine wall time says
 * more about the neighbours): for a failover-free answered call of 14 messages (the INVITE of
 * {@code /sip/invite-sdp.sip} and its relay, 100/180/200 each way with SDP in the 200s, ACKs, BYE and
 * its 200 each way), the call events, assembling, and compressing the finished call (the tap itself
 * copies nothing: it hands over the messages' own octets). Run by hand (docs/performance.md, "SIP capture"); argument {@code uncompressed} leaves the
 * deflate out, argument {@code capped} keeps calls lingering against a live cap they overflow (a node under overload).
 */
public final class CaptureCpuProbe {
    private CaptureCpuProbe() {
    }

    public static void main(String[] args) throws IOException {
        byte[][] call = answeredCall();
        AtomicLong now = new AtomicLong(1_000);
        long[] compressed = {0};
        // "capped": calls linger 5 s at 2,000 CPS against a 16 MiB live cap, as on a node under overload,
        // so most lingering calls were emptied by the cap while new messages keep coming
        boolean capped = args.length > 0 && args[0].equals("capped");
        CaptureSettings settings = capped
            ? new CaptureSettings(200, 256 * 1024, 16L << 20, 256L << 20, Duration.ofHours(24), Duration.ofSeconds(5), 1024)
            : new CaptureSettings(200, 256 * 1024, 64L << 20, 256L << 20, Duration.ofHours(24), Duration.ZERO, 1024);
        CaptureStore store = new CaptureStore(settings, now::get);
        CaptureCodec.Encoder encoder = new CaptureCodec.Encoder();
        // "uncompressed": the same work without the deflate, to tell its share from the rest
        boolean compress = args.length == 0 || !args[0].equals("uncompressed");
        CallCaptureAssembler assembler = new CallCaptureAssembler(settings, now::get, c -> {
            byte[] blob = compress ? encoder.encode(c) : new byte[c.messages().size()];
            compressed[0] += blob.length;
            store.put(c.callId(), blob);
        });
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 5060);
        InetSocketAddress customer = new InetSocketAddress("127.0.0.1", 5061);
        InetSocketAddress vendor = new InetSocketAddress("127.0.0.1", 5090);
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        for (int round = 0; round < 8; round++) {
            int calls = 50_000;
            compressed[0] = 0;
            long raw = 0;
            long cpu0 = mx.getCurrentThreadCpuTime();
            long alloc0 = mx.getThreadAllocatedBytes(thread);
            for (int c = 0; c < calls; c++) {
                UUID id = new UUID(round, c);
                String a = "a-" + round + "-" + c;
                String b = "b-" + round + "-" + c;
                assembler.on(CaptureFixtures.started(id, a));
                assembler.on(new CallEvent.AttemptStarted(id, 1, b, 1));
                for (int m = 0; m < call.length; m++) {
                    boolean customerLeg = m % 2 == 0;
                    // the tap hands over the message's own octets (no copy)
                    byte[] octets = call[m];
                    raw += octets.length;
                    assembler.accept(new WireMessage(now.get() * 1000 + m, m % 4 < 2 ? WireMessage.Direction.IN : WireMessage.Direction.OUT,
                        SipTransport.UDP, local, customerLeg ? customer : vendor, customerLeg ? a : b, octets));
                }
                assembler.on(new CallEvent.Ended(id, HangupSide.CALLER, 200, "bye"));
                if (capped && c % 2 == 1) {
                    now.incrementAndGet();
                }
                if (c % 100 == 99) {
                    now.incrementAndGet();
                    assembler.tick();
                }
            }
            now.incrementAndGet();
            assembler.tick();
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            long alloc = mx.getThreadAllocatedBytes(thread) - alloc0;
            System.out.printf("round %d: %.1f µs CPU and %,.0f bytes allocated per call; %,.0f octets raw, %,.0f compressed per call; store %,d calls%n",
                round, cpu / 1e3 / calls, alloc / (double) calls, raw / (double) calls, compressed[0] / (double) calls, store.calls());
        }
    }

    /** The 14 messages of an answered call as on the wire, 6,679 octets in all. */
    static byte[][] answeredCall() throws IOException {
        byte[] invite;
        try (InputStream s = CaptureCpuProbe.class.getResourceAsStream("/sip/invite-sdp.sip")) {
            invite = s.readAllBytes();
        }
        String inviteText = new String(invite, StandardCharsets.US_ASCII);
        String sdp = inviteText.substring(inviteText.indexOf("\r\n\r\n") + 4);
        byte[][] call = new byte[14][];
        for (int i = 0; i < call.length; i++) {
            call[i] = switch (i) {
                case 0, 1 -> invite;
                case 6, 7 -> answer("200 OK", sdp, i);
                default -> answer(i % 3 == 0 ? "100 Trying" : "180 Ringing", "", i);
            };
        }
        return call;
    }

    private static byte[] answer(String status, String body, int i) {
        String text = "SIP/2.0 " + status + "\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-probe-" + i + ";rport=5061\r\n"
            + "From: <sip:4930123456@127.0.0.1>;tag=caller-tag-12345\r\nTo: <sip:442079460001@127.0.0.1>;tag=callee-" + i + "\r\n"
            + "Call-ID: probe-call-id-0123456789@127.0.0.1\r\nCSeq: 1 INVITE\r\nContact: <sip:127.0.0.1:5060>\r\n"
            + "Record-Route: <sip:127.0.0.1:5060;lr>\r\nServer: Tandem\r\n"
            + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n") + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
