package io.tandem.softswitch.sip.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.RequestHead;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.Via;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an overloaded node spends on each INVITE it refuses and on the ACK that comes back, one thread: the
 * parsed path (parse, build the 503 from the parsed request, write it) against the glance ({@link RequestHead}:
 * the refusal written from the octets it came in, the ACK's To tag read without a parse). The carrier INVITE
 * with SDP of {@link SipCodecBenchmark}. See docs/performance.md for how to run it and the numbers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class OverloadRefusalBenchmark {
    private static final InetSocketAddress SOURCE = new InetSocketAddress("198.51.100.7", 5060);
    private byte[] invite;
    private byte[] ack;
    private ByteBuf out;

    @Setup
    public void setUp() throws IOException {
        try (InputStream s = OverloadRefusalBenchmark.class.getResourceAsStream("/sip/invite-sdp.sip")) {
            invite = s.readAllBytes();
        }
        String text = new String(invite, StandardCharsets.ISO_8859_1);
        String headers = text.substring(0, text.indexOf("\r\n\r\n"));
        ack = (headers.replace("INVITE sip", "ACK sip").replace("1 INVITE", "1 ACK")
            .replace("To: <sip:+4930123456@203.0.113.10>", "To: <sip:+4930123456@203.0.113.10>;tag=ovl5f1e0c2a9b")
            .replaceAll("Content-Length: \\d+", "Content-Length: 0") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        out = Unpooled.buffer(4096);
    }

    private static SipRequest parse(byte[] wire) {
        byte[] bytes = wire.clone();
        return (SipRequest) ((SipParseResult.Parsed) SipParser.parse(bytes, 0, bytes.length)).message();
    }

    /** The INVITE parsed, its 503 built from the parsed request as the transaction layer does, and written. */
    @Benchmark
    public int refuseParsed() {
        SipRequest r = parse(invite);
        Via stamped = r.topVia().stampedWithSource(SOURCE);
        SipResponse.Builder b = r.createResponse(503).header(HeaderName.RETRY_AFTER, "2");
        if (stamped != r.topVia()) {
            b.replaceFirstValue(HeaderName.VIA, stamped.toString());
        }
        SipResponse refusal = b.toTag("ovl5f1e0c2a9b").build();
        out.clear();
        refusal.writeTo(out::writeBytes);
        return out.writerIndex();
    }

    /** The same refusal from a glance at the INVITE. */
    @Benchmark
    public int refuseFromGlance() {
        byte[] bytes = invite.clone();
        RequestHead head = RequestHead.glance(bytes, 0, bytes.length);
        byte[] refusal = head.statelessResponse(503, "Service Unavailable", "ovl5f1e0c2a9b", SOURCE, "Retry-After", "2");
        out.clear();
        out.writeBytes(refusal);
        return out.writerIndex() + head.serverKey().length();
    }

    /** The ACK of a refusal parsed (before the transaction layer looks it up). */
    @Benchmark
    public int ackParsed() {
        return parse(ack).to().tag().length();
    }

    /** The ACK of a refusal glanced at. */
    @Benchmark
    public int ackFromGlance() {
        byte[] bytes = ack.clone();
        return RequestHead.glance(bytes, 0, bytes.length).toTag().length();
    }
}
