package io.tandem.softswitch.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A built message is made from the positions its writing recorded, without a parse: it must be the very
 * message a parse of its octets gives, and refuse what the parser refuses.
 */
class BuiltMessageTest {

    /** Every RFC 4475 message the parser takes, copied with a Via pushed and Max-Forwards set, and answered. */
    @Test
    void copiesAndAnswersOfTheTortureMessagesEqualTheirOwnParse() throws IOException {
        int compared = 0;
        for (byte[] wire : tortureMessages()) {
            SipParseResult r = SipParser.parse(wire, 0, wire.length);
            if (!(r instanceof SipParseResult.Parsed p)) {
                continue;
            }
            SipMessage original = p.message();
            assertSameAsItsParse(original.copy().assemble());
            if (original instanceof SipRequest request) {
                assertSameAsItsParse(request.copy()
                    .via(Via.of("UDP", "203.0.113.1", 5060, "z9hG4bK-b1"))
                    .maxForwards(69)
                    .addHeader("X-Note", "  padded value\t ")
                    .build());
                assertSameAsItsParse(request.createResponse(180).toTag("t1").build());
            }
            compared++;
        }
        assertThat(compared).as("torture messages the parser takes").isGreaterThan(10);
    }

    @Test
    void aLastHeaderLineWithoutItsCrlfIsCopiedWithOne() {
        byte[] wire = ("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\n"
            + "To: <sip:z@y>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nX-Last: end").getBytes(StandardCharsets.US_ASCII);
        SipRequest received = (SipRequest) SipParserTest.parse(wire);

        SipRequest copy = received.copy().build();

        assertThat(copy.toString()).contains("X-Last: end\r\nContent-Length: 0\r\n\r\n");
        assertSameAsItsParse(copy);
    }

    @Test
    void emptyCompactAndNonAsciiValuesSitWhereTheParserFindsThem() {
        SipRequest built = SipRequest.builder("MESSAGE", SipUri.parse("sip:b@198.51.100.1"))
            .addHeader("v", "SIP/2.0/UDP 203.0.113.1;branch=z9hG4bK9")
            .addHeader("f", "\"Zoë\" <sip:a@203.0.113.1>;tag=f")
            .addHeader("t", "<sip:b@198.51.100.1>")
            .addHeader("i", "c9")
            .cseq(new CSeq(3, "MESSAGE"))
            .addHeader("Subject", "")
            .addHeader("X-Blank", "   ")
            .addHeader("X-Weird", "a\tb  ")
            .body("text/plain", "héllo".getBytes(StandardCharsets.UTF_8))
            .build();

        assertSameAsItsParse(built);
        assertThat(built.headers().first("Subject")).isEmpty();
        assertThat(built.headers().first("X-Weird")).isEqualTo("a\tb");
        assertThat(built.from().displayName()).isEqualTo("Zoë");
        assertThat(new String(built.body(), StandardCharsets.UTF_8)).isEqualTo("héllo");
    }

    @Test
    void whatTheParserRefusesCannotBeBuilt() {
        assertThatThrownBy(() -> minimalOptions().addHeader("Bad Name", "x").build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a token");
        assertThatThrownBy(() -> minimalOptions().method("OPT IONS").build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a token");
        assertThatThrownBy(() -> minimalOptions().addHeader("X-Long", "x".repeat(SipParser.MAX_LINE_LENGTH)).build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("longer than");
        assertThatThrownBy(() -> SipResponse.builder(200, "OK\r\nX-Injected: 1").addHeader("Via", "SIP/2.0/UDP h;branch=z9hG4bK1")
            .build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("one line");
        SipRequest.Builder many = minimalOptions();
        for (int i = 0; i < SipParser.MAX_HEADERS; i++) {
            many.addHeader("X-" + i, "v");
        }
        assertThatThrownBy(many::build)
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("more than " + SipParser.MAX_HEADERS);
        assertThatThrownBy(() -> minimalOptions().body("application/octet-stream", new byte[SipParser.MAX_MESSAGE_SIZE]).build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("larger than");
        assertThatThrownBy(() -> minimalOptions().cseq(new CSeq(1, "INVITE")).build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not match");
    }

    private static SipRequest.Builder minimalOptions() {
        return SipRequest.builder("OPTIONS", SipUri.parse("sip:a@b"))
            .via(Via.of("UDP", "203.0.113.1", 5060, "z9hG4bK1"))
            .from(Address.parse("<sip:x@y>;tag=1"))
            .to(Address.parse("<sip:z@y>"))
            .callId("c1")
            .cseq(new CSeq(1, "OPTIONS"));
    }

    private static void assertSameAsItsParse(SipMessage built) {
        byte[] wire = built.toBytes();
        SipMessage parsed = SipParserTest.parse(wire);
        assertThat(built.toString()).isEqualTo(parsed.toString());
        SipHeaders b = built.headers();
        SipHeaders p = parsed.headers();
        assertThat(b.size()).isEqualTo(p.size());
        for (int i = 0; i < p.size(); i++) {
            assertThat(b.name(i)).isEqualTo(p.name(i));
            assertThat(b.known(i)).isEqualTo(p.known(i));
            assertThat(b.value(i)).as("value of %s", p.name(i)).isEqualTo(p.value(i));
            assertThat(b.lineStart(i)).isEqualTo(p.lineStart(i));
            assertThat(b.lineEnd(i)).isEqualTo(p.lineEnd(i));
            assertThat(b.isFolded(i)).isEqualTo(p.isFolded(i));
        }
        assertThat(built.vias()).isEqualTo(parsed.vias());
        assertThat(built.from()).isEqualTo(parsed.from());
        assertThat(built.to()).isEqualTo(parsed.to());
        assertThat(built.callId()).isEqualTo(parsed.callId());
        assertThat(built.cseq()).isEqualTo(parsed.cseq());
        assertThat(built.maxForwards()).isEqualTo(parsed.maxForwards());
        assertThat(built.body()).isEqualTo(parsed.body());
        assertThat(built.contacts()).isEqualTo(parsed.contacts());
        if (parsed instanceof SipRequest pr) {
            SipRequest br = (SipRequest) built;
            assertThat(br.method()).isEqualTo(pr.method());
            assertThat(br.requestUri()).isEqualTo(pr.requestUri());
        } else {
            SipResponse pr = (SipResponse) parsed;
            SipResponse br = (SipResponse) built;
            assertThat(br.status()).isEqualTo(pr.status());
            assertThat(br.reasonPhrase()).isEqualTo(pr.reasonPhrase());
        }
    }

    private static List<byte[]> tortureMessages() throws IOException {
        List<byte[]> out = new ArrayList<>();
        out.add(SipParserTest.resource("/sip/invite-sdp.sip"));
        try (InputStream manifest = BuiltMessageTest.class.getResourceAsStream("/sip/rfc4475/manifest.tsv")) {
            for (String line : new String(manifest.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.split("\t")[0].strip();
                if (!name.isEmpty() && !name.equals("name")) {
                    out.add(SipParserTest.resource("/sip/rfc4475/" + name + ".dat"));
                }
            }
        }
        return out;
    }
}
