package io.tandem.softswitch.sip.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SipCodecTest {
    static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5070);
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);

    static byte[] invite() throws IOException {
        try (InputStream in = SipCodecTest.class.getResourceAsStream("/sip/invite-sdp.sip")) {
            return in.readAllBytes();
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void datagramBecomesOneMessageWithItsSender() throws IOException {
        CodecCounters counters = new CodecCounters();
        EmbeddedChannel ch = new EmbeddedChannel(new SipDatagramDecoder(counters));
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(invite()), LOCAL, PEER));
        SipInbound.Message m = ch.readInbound();
        assertThat(m.sender()).isEqualTo(PEER);
        assertThat(m.transport()).isEqualTo(SipTransport.UDP);
        assertThat(((SipRequest) m.message()).method()).isEqualTo("INVITE");
        assertThat(counters.decoded()).isEqualTo(1);
        assertFalse(ch.finish());
    }

    @Test
    void messagesAreCountedByMethodAndStatusWithStrangersMethodsInOneSeries() {
        CodecCounters counters = new CodecCounters();
        EmbeddedChannel ch = new EmbeddedChannel(new SipDatagramDecoder(counters));
        String made = "XYZZY sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
                + "To: <sip:a@b>\r\nCall-ID: c1\r\nCSeq: 1 XYZZY\r\nContent-Length: 0\r\n\r\n";
        String busy = "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
                + "To: <sip:a@b>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        for (byte[] datagram : new byte[][] {ascii(made), ascii(busy), ascii(busy)}) {
            ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), LOCAL, PEER));
            ch.readInbound();
        }
        assertThat(counters.received().requests(SipMessageCounts.OTHER_METHOD)).isEqualTo(1);
        assertThat(counters.received().requests("INVITE")).isZero();
        assertThat(counters.received().responses(486)).isEqualTo(2);
        assertThat(counters.received().responses(400, 499)).isEqualTo(2);
        assertThat(counters.sent().responses(486)).isZero();
        assertFalse(ch.finish());
    }

    @Test
    void garbageDatagramBecomesAFailureNotAnException() {
        CodecCounters counters = new CodecCounters();
        EmbeddedChannel ch = new EmbeddedChannel(new SipDatagramDecoder(counters));
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {0, 1, 2, '\r', '\n', 0}), LOCAL, PEER));
        SipInbound.Malformed m = ch.readInbound();
        assertThat(m.failure().answerable()).isFalse();
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(ascii("\r\n\r\n")), LOCAL, PEER));
        assertThat(counters.malformed()).isEqualTo(1);
        assertThat(counters.keepAlives()).isEqualTo(1);
        assertFalse(ch.finish());
    }

    @Test
    void streamFramesByContentLengthAcrossArbitrarySplits() throws IOException {
        byte[] one = invite();
        byte[] two = new byte[one.length * 2];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        for (int split : new int[] {1, 7, 300, one.length - 1, one.length, one.length + 5}) {
            EmbeddedChannel ch = new EmbeddedChannel(new SipStreamDecoder(SipTransport.TCP, new CodecCounters()));
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(two, 0, split)));
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(two, split, two.length)));
            for (int i = 0; i < 2; i++) {
                SipInbound.Message m = ch.readInbound();
                assertThat(m.message().toBytes()).as("split at %d", split).isEqualTo(one);
            }
            assertFalse(ch.finish());
        }
    }

    @Test
    void foldedContentLengthStillFramesTheStream() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipStreamDecoder(SipTransport.TCP, new CodecCounters()));
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("""
            MESSAGE sip:a@b SIP/2.0\r
            Via: SIP/2.0/TCP h;branch=z9hG4bK1\r
            From: <sip:a@b>;tag=1\r
            To: <sip:a@b>\r
            Call-ID: c\r
            CSeq: 1 MESSAGE\r
            Content-Length:\r
              5\r
            \r
            helloMESSAGE""")));
        SipInbound.Message m = ch.readInbound();
        assertThat(m.message().bodyAsString()).isEqualTo("hello");
        assertThat((Object) ch.readInbound()).isNull();
        ch.close();
        assertFalse(ch.finish());
    }

    @Test
    void streamPingIsAnsweredWithPong() throws IOException {
        CodecCounters counters = new CodecCounters();
        EmbeddedChannel ch = new EmbeddedChannel(new SipStreamDecoder(SipTransport.TCP, counters));
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("\r\n\r\n")));
        ByteBuf pong = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(pong)).isEqualTo(ascii("\r\n"));
        pong.release();
        ch.writeInbound(Unpooled.wrappedBuffer(invite()));
        assertThat((Object) ch.readInbound()).isInstanceOf(SipInbound.Message.class);
        assertThat(counters.keepAlives()).isEqualTo(1);
        assertFalse(ch.finish());
    }

    @Test
    void unframeableStreamIsFatalAndTheRestIsDiscarded() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipStreamDecoder(SipTransport.TCP, new CodecCounters()));
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("""
            OPTIONS sip:a@b SIP/2.0\r
            Via: SIP/2.0/TCP h;branch=z9hG4bK1\r
            From: <sip:a@b>;tag=1\r
            To: <sip:a@b>\r
            Call-ID: c\r
            CSeq: 1 OPTIONS\r
            Content-Length: -5\r
            \r
            OPTIONS sip:a@b SIP/2.0\r
            """)));
        SipInbound.Malformed m = ch.readInbound();
        assertThat(m.fatal()).isTrue();
        assertThat(m.failure().answerable()).isTrue();
        assertThat(m.failure().reason()).contains("Content-Length");
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("more garbage\r\n\r\n")));
        assertThat((Object) ch.readInbound()).isNull();
        assertFalse(ch.finish());
    }

    @Test
    void endlessHeaderSectionIsCutAtTheSizeLimit() {
        CodecCounters counters = new CodecCounters();
        EmbeddedChannel ch = new EmbeddedChannel(new SipStreamDecoder(SipTransport.TCP, counters));
        ch.writeInbound(Unpooled.wrappedBuffer(ascii("OPTIONS sip:a@b SIP/2.0\r\n")));
        byte[] filler = ascii("X-Filler: " + "y".repeat(1000) + "\r\n");
        for (int i = 0; i < 70; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(filler));
        }
        SipInbound.Malformed m = ch.readInbound();
        assertThat(m.fatal()).isTrue();
        assertThat(counters.oversized()).isEqualTo(1);
        assertFalse(ch.finish());
    }

    @Test
    void encoderWritesWireOctetsToStreamsAndDatagrams() throws IOException {
        byte[] wire = invite();
        SipMessage msg = ((SipInbound.Message) decodeOne(wire)).message();
        CodecCounters counters = new CodecCounters();
        EmbeddedChannel ch = new EmbeddedChannel(new SipMessageEncoder(counters));
        ch.writeOutbound(msg);
        ByteBuf stream = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(stream)).isEqualTo(wire);
        stream.release();
        ch.writeOutbound(new DefaultAddressedEnvelope<>(msg, PEER));
        DatagramPacket packet = ch.readOutbound();
        assertThat(packet.recipient()).isEqualTo(PEER);
        assertThat(ByteBufUtil.getBytes(packet.content())).isEqualTo(wire);
        packet.release();
        assertThat(counters.sent().requests("INVITE")).as("sent once to a stream, once as a datagram").isEqualTo(2);
        assertFalse(ch.finish());
    }

    private static SipInbound decodeOne(byte[] wire) {
        EmbeddedChannel ch = new EmbeddedChannel(new SipDatagramDecoder(new CodecCounters()));
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(wire), LOCAL, PEER));
        SipInbound in = ch.readInbound();
        assertFalse(ch.finish());
        return in;
    }
}
