package io.tandem.softswitch.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipMessageBuilderTest {

    @Test
    void copyKeepsUntouchedHeadersByteForByte() throws IOException {
        byte[] wire = SipParserTest.resource("/sip/rfc4475/wsinv.dat");
        SipRequest original = (SipRequest) SipParserTest.parse(wire);
        SipRequest relayed = original.copy()
            .via(Via.of("UDP", "203.0.113.1", 5060, "z9hG4bKnew"))
            .maxForwards(67)
            .build();
        String text = relayed.toString();
        assertThat(text).startsWith("INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0\r\n"
            + "TO :\r\n sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\r\n");
        assertThat(text).contains("Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKnew\r\nVia  : SIP  /   2.0\r\n /UDP\r\n");
        assertThat(text).contains("NewFangledHeader:   newfangled value\r\n continued newfangled value\r\n");
        assertThat(relayed.maxForwards()).isEqualTo(67);
        assertThat(relayed.vias()).hasSize(4);
        assertThat(relayed.body()).isEqualTo(original.body());
    }

    @Test
    void responseCopiesTheTransactionHeadersAndAddsTheToTag() throws IOException {
        SipRequest invite = (SipRequest) SipParserTest.parse(SipParserTest.resource("/sip/invite-sdp.sip"));
        SipResponse ringing = invite.createResponse(180).toTag("t1").build();
        assertThat(ringing.status()).isEqualTo(180);
        assertThat(ringing.reasonPhrase()).isEqualTo("Ringing");
        assertThat(ringing.topVia()).isEqualTo(invite.topVia());
        assertThat(ringing.to().tag()).isEqualTo("t1");
        assertThat(ringing.from()).isEqualTo(invite.from());
        assertThat(ringing.cseq()).isEqualTo(invite.cseq());
        assertThat(ringing.bodyLength()).isZero();
        assertThat(ringing.header(HeaderName.CONTENT_LENGTH)).isEqualTo("0");
    }

    @Test
    void newRequestFromScratch() {
        SipRequest bye = SipRequest.builder("BYE", SipUri.parse("sip:gw@198.51.100.1:5060"))
            .via(Via.of("UDP", "203.0.113.1", 5060, "z9hG4bK77"))
            .from(Address.of(SipUri.parse("sip:a@203.0.113.1")).withTag("f"))
            .to(Address.of(SipUri.parse("sip:b@198.51.100.1")).withTag("t"))
            .callId("c1")
            .cseq(new CSeq(2, "BYE"))
            .maxForwards(70)
            .body("application/text", "hi".getBytes(StandardCharsets.UTF_8))
            .build();
        assertThat(bye.toString()).isEqualTo("""
            BYE sip:gw@198.51.100.1:5060 SIP/2.0\r
            Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK77\r
            From: <sip:a@203.0.113.1>;tag=f\r
            To: <sip:b@198.51.100.1>;tag=t\r
            Call-ID: c1\r
            CSeq: 2 BYE\r
            Max-Forwards: 70\r
            Content-Type: application/text\r
            Content-Length: 2\r
            \r
            hi""");
    }

    @Test
    void removingTheTopViaKeepsTheOthers() {
        SipResponse r = SipResponse.builder(200, "OK")
            .addHeader("Via", "SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2")
            .addHeader("Via", "SIP/2.0/UDP c;branch=z9hG4bK3")
            .from(Address.parse("<sip:x@y>;tag=1")).to(Address.parse("<sip:z@y>;tag=2"))
            .callId("c").cseq(new CSeq(1, "INVITE"))
            .build();
        SipResponse forwarded = r.copy().removeFirstValue(HeaderName.VIA).build();
        assertThat(forwarded.vias()).extracting(Via::host).containsExactly("b", "c");
    }

    @Test
    void anInvalidBuildIsAProgrammingError() {
        assertThatThrownBy(() -> SipRequest.builder("OPTIONS", SipUri.parse("sip:a@b")).build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing Via");
    }
}
