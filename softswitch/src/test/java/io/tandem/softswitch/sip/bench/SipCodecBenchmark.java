package io.tandem.softswitch.sip.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.Via;
import java.io.IOException;
import java.io.InputStream;
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
 * Parse + serialize of a typical carrier INVITE with SDP (909 octets, 15 headers), one thread.
 * Each operation does what the UDP decoder and encoder do per message: copy the datagram out
 * of its buffer, parse and validate it, read the fields a switch routes on, write it to an
 * output buffer. See docs/performance.md for how to run it and the numbers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class SipCodecBenchmark {
    private ByteBuf in;
    private ByteBuf out;
    private Via ourVia;

    @Setup
    public void setUp() throws IOException {
        byte[] wire;
        try (InputStream s = SipCodecBenchmark.class.getResourceAsStream("/sip/invite-sdp.sip")) {
            wire = s.readAllBytes();
        }
        in = Unpooled.wrappedBuffer(wire);
        out = Unpooled.buffer(4096);
        ourVia = Via.of("UDP", "203.0.113.1", 5060, "z9hG4bK-td1234-5678");
    }

    private SipRequest parse() {
        byte[] bytes = new byte[in.readableBytes()];
        in.getBytes(in.readerIndex(), bytes);
        SipParseResult r = SipParser.parse(bytes, 0, bytes.length);
        return (SipRequest) ((SipParseResult.Parsed) r).message();
    }

    /** Receive and relay unchanged: the path of every retransmission and in-dialog message. */
    @Benchmark
    public int parseAndSerialize() {
        SipRequest r = parse();
        int routing = r.topVia().branch().length() + r.callId().length() + (int) r.cseq().sequence()
            + r.from().tag().length() + r.requestUri().user().length();
        out.clear();
        r.writeTo(out::writeBytes);
        return out.writerIndex() + routing;
    }

    /** Receive, add our Via, lower Max-Forwards, serialize: the path of a forwarded request. */
    @Benchmark
    public int parseModifyAndSerialize() {
        SipRequest r = parse();
        SipRequest forwarded = r.copy().via(ourVia).maxForwards(r.maxForwards() - 1).build();
        out.clear();
        forwarded.writeTo(out::writeBytes);
        return out.writerIndex();
    }

    /** Receive, answer 180 with our To tag, serialize: the path of every provisional and final response. */
    @Benchmark
    public int parseAnswerAndSerialize() {
        SipRequest r = parse();
        SipResponse ringing = r.createResponse(180).toTag("td-5678").build();
        out.clear();
        ringing.writeTo(out::writeBytes);
        return out.writerIndex();
    }
}
