package io.tandem.softswitch.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tandem.softswitch.sip.codec.CodecCounters;
import io.tandem.softswitch.sip.codec.SipStreamDecoder;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.testing.SipMutator;
import io.tandem.softswitch.sip.testing.SipTestClient;
import io.tandem.softswitch.sip.transaction.SipTimers;
import io.tandem.softswitch.sip.transaction.TransactionConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded, bounded fuzzing: mutated messages never make the parser throw, and a live listener
 * keeps answering OPTIONS over UDP and TCP while being fed them, without keeping memory.
 */
class SipFuzzTest {
    static final long SEED = 4475;

    static List<byte[]> seeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String name : List.of("/sip/invite-sdp.sip", "/sip/rfc4475/wsinv.dat", "/sip/rfc4475/longreq.dat",
            "/sip/rfc4475/mpart01.dat", "/sip/rfc4475/esc01.dat", "/sip/rfc4475/unreason.dat",
            "/sip/rfc4475/dblreq.dat")) {
            try (InputStream in = SipFuzzTest.class.getResourceAsStream(name)) {
                out.add(in.readAllBytes());
            }
        }
        return out;
    }

    @Test
    void parserNeverThrows() throws IOException {
        SipMutator m = new SipMutator(SEED, seeds());
        int parsed = 0;
        int failed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = m.next();
            SipParseResult r = SipParser.parse(b, 0, b.length);
            if (r instanceof SipParseResult.Parsed p) {
                parsed++;
                SipMessage msg = p.message();
                msg.headers().toString();
                assertThat(msg.toBytes().length).isLessThanOrEqualTo(b.length);
            } else if (r instanceof SipParseResult.Failed f) {
                failed++;
                assertThat(f.failure().reason()).isNotBlank();
                if (f.failure().answerable()) {
                    f.failure().errorResponse("tandem", "t", null);
                }
            }
        }
        assertThat(parsed).as("some mutations stay valid").isPositive();
        assertThat(failed).as("most mutations break something").isGreaterThan(parsed);
    }

    @Test
    void streamDecoderSurvivesMutatedStreamsInRandomChunks() throws IOException {
        SipMutator m = new SipMutator(SEED + 1, seeds());
        SplittableRandom chunks = new SplittableRandom(SEED + 2);
        for (int conn = 0; conn < 300; conn++) {
            EmbeddedChannel ch = new EmbeddedChannel(new SipStreamDecoder(SipTransport.TCP, new CodecCounters()));
            for (int k = 0; k < 5; k++) {
                byte[] b = m.next();
                int p = 0;
                while (p < b.length) {
                    int n = Math.min(b.length - p, 1 + chunks.nextInt(1500));
                    ch.writeInbound(Unpooled.wrappedBuffer(b, p, n));
                    p += n;
                }
            }
            ch.inboundMessages().clear();
            ch.outboundMessages().forEach(io.netty.util.ReferenceCountUtil::release);
            ch.outboundMessages().clear();
            assertFalse(ch.finish());
        }
    }

    @Test
    void listenerKeepsAnsweringOptionsUnderFuzzOverUdpAndTcp() throws Exception {
        SipTimers fast = new SipTimers(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(50));
        SipStackConfig config = SipStackConfig.loopback().withTransactions(TransactionConfig.defaults().withTimers(fast));
        try (SipStack stack = SipStack.start(config, tx -> tx.respond(tx.request().isInvite() ? 486 : 200))) {
            InetSocketAddress udpAddr = stack.localAddress(SipTransport.UDP);
            InetSocketAddress tcpAddr = stack.localAddress(SipTransport.TCP);
            SipMutator mutator = new SipMutator(SEED + 3, seeds());
            feed(stack, mutator, udpAddr, tcpAddr, 500);
            long before = usedHeapAfterGc();
            feed(stack, mutator, udpAddr, tcpAddr, 3_000);
            Thread.sleep(1_500);
            long after = usedHeapAfterGc();
            assertThat(stack.stats().liveTransactions()).as("every transaction ended").isZero();
            assertThat(after - before).as("heap growth in bytes").isLessThan(32L * 1024 * 1024);
            assertThat(stack.stats().malformed()).isPositive();
            assertOptionsAnswered(SipTestClient.udp(udpAddr), "final-udp");
            assertOptionsAnswered(SipTestClient.tcp(tcpAddr), "final-tcp");
        }
    }

    private static void feed(SipStack stack, SipMutator mutator, InetSocketAddress udpAddr, InetSocketAddress tcpAddr,
                             int count) throws Exception {
        try (SipTestClient udp = SipTestClient.udp(udpAddr)) {
            SipTestClient tcp = SipTestClient.tcp(tcpAddr);
            for (int i = 1; i <= count; i++) {
                byte[] b = mutator.next();
                udp.send(b.length > 65_000 ? java.util.Arrays.copyOf(b, 65_000) : b);
                try {
                    tcp.send(b);
                } catch (IOException closedByServer) {
                    tcp.close();
                    tcp = SipTestClient.tcp(tcpAddr);
                }
                if (i % 250 == 0) {
                    assertOptionsAnswered(SipTestClient.udp(udpAddr), "u" + i);
                    assertOptionsAnswered(SipTestClient.tcp(tcpAddr), "t" + i);
                }
            }
            tcp.close();
        }
    }

    private static void assertOptionsAnswered(SipTestClient c, String branch) throws IOException {
        try (c) {
            SipMessage answer = c.request(c.options(branch), 3_000);
            assertThat(answer).as("OPTIONS %s answered", branch).isInstanceOf(SipResponse.class);
            assertThat(((SipResponse) answer).status()).isEqualTo(200);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
