package io.tandem.softswitch.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.tandem.softswitch.sip.codec.CodecCounters;
import io.tandem.softswitch.sip.codec.SipDatagramDecoder;
import io.tandem.softswitch.sip.codec.SipInbound;
import io.tandem.softswitch.sip.codec.SipMessageEncoder;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.SentMessage;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tap sees a datagram read and an answer written as they are on the wire, with addresses, time and Call-ID. */
class WireTapHandlerTest {

    private static final String INVITE = "INVITE sip:44@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bK1\r\n"
        + "From: <sip:a@x>;tag=1\r\nTo: <sip:44@127.0.0.1>\r\nCall-ID: tap-1@x\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
        + "Content-Length: 0\r\n\r\n";
    /** An answer kept as octets only, with the compact Call-ID form (RFC 3261 §7.3.3). */
    private static final String ANSWER = "SIP/2.0 100 Trying\r\nv: SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bK1\r\n"
        + "f: <sip:a@x>;tag=1\r\nt: <sip:44@127.0.0.1>\r\ni :  tap-1@x \r\nCSeq: 1 INVITE\r\nl: 0\r\n\r\n";

    @Test
    void aDatagramReadAndAnAnswerWrittenAreBothTapped() {
        List<WireMessage> tapped = new ArrayList<>();
        WireTap tap = new WireTap() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public void accept(WireMessage message) {
                tapped.add(message);
            }
        };
        Clock clock = Clock.fixed(Instant.parse("2026-12-06T10:00:00.123456Z"), ZoneOffset.UTC);
        EmbeddedChannel ch = new EmbeddedChannel(new SipDatagramDecoder(new CodecCounters()), new SipMessageEncoder(new CodecCounters()),
            new WireTapHandler(tap, SipTransport.UDP, clock));
        InetSocketAddress customer = new InetSocketAddress("127.0.0.1", 5071);

        ch.writeInbound(new DatagramPacket(Unpooled.copiedBuffer(INVITE, StandardCharsets.US_ASCII), null, customer));
        SipInbound read = ch.readInbound();
        assertThat(read).isInstanceOf(SipInbound.Message.class);
        byte[] answer = ANSWER.getBytes(StandardCharsets.US_ASCII);
        SipParseResult.Parsed parsed = (SipParseResult.Parsed) SipParser.parse(answer, 0, answer.length);
        ch.writeOutbound(new DefaultAddressedEnvelope<>(SentMessage.of(parsed.message()), customer));
        DatagramPacket sent = ch.readOutbound();
        sent.release();

        assertThat(tapped).hasSize(2);
        WireMessage in = tapped.get(0);
        assertThat(in.direction()).isEqualTo(WireMessage.Direction.IN);
        assertThat(in.remote()).isEqualTo(customer);
        assertThat(in.sipCallId()).isEqualTo("tap-1@x");
        assertThat(new String(in.octets(), StandardCharsets.US_ASCII)).isEqualTo(INVITE);
        assertThat(in.epochMicros()).isEqualTo(Instant.parse("2026-12-06T10:00:00Z").getEpochSecond() * 1_000_000 + 123_456);
        WireMessage out = tapped.get(1);
        assertThat(out.direction()).isEqualTo(WireMessage.Direction.OUT);
        assertThat(out.remote()).isEqualTo(customer);
        assertThat(out.sipCallId()).as("read from the octets of a kept message").isEqualTo("tap-1@x");
        assertThat(new String(out.octets(), StandardCharsets.US_ASCII)).isEqualTo(ANSWER);
        assertFalse(ch.finish());
    }

    @Test
    void theCallIdScanStopsAtTheBodyAndIgnoresLookalikes() {
        assertThat(WireTapHandler.callIdOf("SIP/2.0 200 OK\r\nCall-Info: x\r\nCALL-ID: abc\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
            .isEqualTo("abc");
        assertThat(WireTapHandler.callIdOf("SIP/2.0 200 OK\r\nTo: x\r\n\r\nCall-ID: body\r\n".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        ByteBuf none = Unpooled.EMPTY_BUFFER;
        assertThat(WireTapHandler.callIdOf(new byte[none.readableBytes()])).isEmpty();
    }
}
