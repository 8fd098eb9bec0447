package io.tandem.softswitch.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipParserTest {

    static byte[] resource(String path) throws IOException {
        try (InputStream in = SipParserTest.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        }
    }

    static SipMessage parse(byte[] b) {
        SipParseResult r = SipParser.parse(b, 0, b.length);
        assertThat(r).isInstanceOf(SipParseResult.Parsed.class);
        return ((SipParseResult.Parsed) r).message();
    }

    static SipParseFailure fail(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        SipParseResult r = SipParser.parse(b, 0, b.length);
        assertThat(r).isInstanceOf(SipParseResult.Failed.class);
        return ((SipParseResult.Failed) r).failure();
    }

    /** What the capture keeps of a message: its octets exactly as on the wire, without copying a whole received datagram. */
    @Test
    void aMessagesWireOctetsAreItsOwnArrayWhenItFillsItAndExactlyItsOctetsOtherwise() throws IOException {
        byte[] datagram = resource("/sip/invite-sdp.sip");
        SipMessage whole = parse(datagram);
        assertThat(whole.wireOctets()).isSameAs(datagram);
        assertThat(SentMessage.of(whole).wireOctets()).isSameAs(datagram);

        byte[] padded = new byte[datagram.length + 10];
        System.arraycopy(datagram, 0, padded, 4, datagram.length);
        SipParseResult r = SipParser.parse(padded, 4, datagram.length);
        SipMessage inside = ((SipParseResult.Parsed) r).message();
        assertThat(inside.wireOctets()).isNotSameAs(padded).isEqualTo(datagram);
    }

    @Test
    void typicalInviteGivesTypedHeadersAndBody() throws IOException {
        SipRequest r = (SipRequest) parse(resource("/sip/invite-sdp.sip"));
        assertThat(r.method()).isEqualTo("INVITE");
        assertThat(r.requestUri().user()).isEqualTo("+4930123456");
        assertThat(r.requestUri().host()).isEqualTo("203.0.113.10");
        assertThat(r.requestUri().port()).isEqualTo(5060);
        assertThat(r.requestUri().params().get("user")).isEqualTo("phone");
        assertThat(r.topVia().branch()).isEqualTo("z9hG4bK-524287-1---a1b2c3d4e5f6");
        assertThat(r.topVia().hasRport()).isTrue();
        assertThat(r.topVia().sentBy()).isEqualTo("198.51.100.7:5060");
        assertThat(r.from().displayName()).isEqualTo("Alice Carrier");
        assertThat(r.from().tag()).isEqualTo("8a7f63b2");
        assertThat(r.to().tag()).isNull();
        assertThat(r.callId()).isEqualTo("3c26700b6d1f-4a2b@198.51.100.7");
        assertThat(r.cseq()).isEqualTo(new CSeq(1, "INVITE"));
        assertThat(r.maxForwards()).isEqualTo(70);
        assertThat(r.contacts()).singleElement().satisfies(c -> assertThat(c.uri().params().get("transport")).isEqualTo("udp"));
        assertThat(r.assertedIdentities()).singleElement().satisfies(a -> assertThat(a.uri().user()).isEqualTo("+14155550100"));
        assertThat(r.header(HeaderName.SESSION_EXPIRES)).isEqualTo("1800;refresher=uac");
        assertThat(r.header("user-agent")).isEqualTo("CarrierGW/4.2");
        assertThat(r.contentType()).isEqualTo("application/sdp");
        assertThat(r.bodyAsString()).startsWith("v=0\r\n").endsWith("a=ptime:20\r\n");
    }

    @Test
    void relayedBytesAreExactlyTheReceivedOnes() throws IOException {
        byte[] wire = resource("/sip/rfc4475/wsinv.dat");
        SipMessage m = parse(wire);
        assertThat(m.toBytes()).isEqualTo(wire);
    }

    @Test
    void foldingCompactFormsAndOddSpacingAreUnderstood() throws IOException {
        SipRequest r = (SipRequest) parse(resource("/sip/rfc4475/wsinv.dat"));
        assertThat(r.to().tag()).isEqualTo("1918181833n");
        assertThat(r.from().displayName()).isEqualTo("J Rosenberg \\\"");
        assertThat(r.from().tag()).isEqualTo("98asjd8");
        assertThat(r.maxForwards()).isEqualTo(68);
        assertThat(r.cseq()).isEqualTo(new CSeq(9, "INVITE"));
        assertThat(r.vias()).extracting(Via::transport).containsExactly("UDP", "TCP", "UDP");
        assertThat(r.vias().get(2).branch()).isEqualTo("z9hG4bK30239");
        assertThat(r.header("NewFangledHeader")).isEqualTo("newfangled value continued newfangled value");
        assertThat(r.contacts()).singleElement().satisfies(c -> {
            assertThat(c.displayName()).isEqualTo("Quoted string \"\"");
            assertThat(c.params().get("q")).isEqualTo("0.33");
        });
        assertThat(r.routes()).singleElement().satisfies(a -> assertThat(a.uri().params().has("lr")).isTrue());
    }

    @Test
    void semicolonInUserPartIsNotAParameter() throws IOException {
        SipRequest r = (SipRequest) parse(resource("/sip/rfc4475/semiuri.dat"));
        assertThat(r.requestUri().user()).isEqualTo("user;par=u%40example.net");
        assertThat(r.requestUri().userDecoded()).isEqualTo("user;par=u@example.net");
        assertThat(r.requestUri().params().isEmpty()).isTrue();
    }

    @Test
    void parametersAfterBareUriBelongToTheHeader() throws IOException {
        SipRequest unbracketed = (SipRequest) parse(resource("/sip/rfc4475/cparam01.dat"));
        assertThat(unbracketed.contacts().getFirst().params().has("unknownparam")).isTrue();
        assertThat(unbracketed.contacts().getFirst().uri().params().has("unknownparam")).isFalse();
        SipRequest bracketed = (SipRequest) parse(resource("/sip/rfc4475/cparam02.dat"));
        assertThat(bracketed.contacts().getFirst().uri().params().has("unknownparam")).isTrue();
    }

    @Test
    void malformedContactReadsAsAbsentAndIsReported() {
        String msg = """
            INVITE sip:b@example.com SIP/2.0\r
            Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r
            From: <sip:a@example.com>;tag=1\r
            To: <sip:b@example.com>\r
            Call-ID: x@y\r
            CSeq: 1 INVITE\r
            Contact: <sip:a@192.0.2.1;;;;>\r
            Content-Length: 0\r
            \r
            """;
        SipRequest r = (SipRequest) parse(msg.getBytes(StandardCharsets.UTF_8));
        assertThat(r.contacts()).isEmpty();
        assertThat(r.hasMalformed(HeaderName.CONTACT)).isTrue();
        assertThat(r.hasMalformed(HeaderName.ROUTE)).isFalse();
    }

    @Test
    void ipv6ReferencesKeepTheirBrackets() {
        String msg = """
            OPTIONS sip:[2001:db8::10]:5070 SIP/2.0\r
            Via: SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3\r
            From: <sip:a@[2001:db8::9:1]>;tag=1\r
            To: <sip:b@[2001:db8::10]>\r
            Call-ID: v6@host\r
            CSeq: 1 OPTIONS\r
            Content-Length: 0\r
            \r
            """;
        SipRequest r = (SipRequest) parse(msg.getBytes(StandardCharsets.UTF_8));
        assertThat(r.requestUri().host()).isEqualTo("[2001:db8::10]");
        assertThat(r.requestUri().port()).isEqualTo(5070);
        assertThat(r.topVia().host()).isEqualTo("[2001:db8::9:1]");
        assertThat(r.topVia().port()).isEqualTo(5060);
    }

    @Test
    void failuresSayWhatWasWrongAndKeepWhatIsNeededToAnswer() {
        SipParseFailure f = fail("""
            INVITE sip:b@example.com SIP/2.0\r
            Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r
            From: <sip:a@example.com>;tag=1\r
            To: <sip:b@example.com>\r
            Call-ID: x@y\r
            CSeq: 1 OPTIONS\r
            Content-Length: 0\r
            \r
            """);
        assertThat(f.status()).isEqualTo(400);
        assertThat(f.reason()).contains("CSeq method");
        assertThat(f.method()).isEqualTo("INVITE");
        assertThat(f.answerable()).isTrue();
        String answer = new String(f.errorResponse("tandem", "abc", null), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("SIP/2.0 400 Bad Request\r\n")
            .contains("Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n")
            .contains("To: <sip:b@example.com>;tag=abc\r\n")
            .contains("Warning: 399 tandem \"CSeq method OPTIONS does not match INVITE\"\r\n")
            .endsWith("Content-Length: 0\r\n\r\n");
    }

    @Test
    void aBadRequestFromBehindNatIsAnsweredWithReceivedAndRport() {
        SipParseFailure f = fail("""
            OPTIONS sip:b@example.com SIP/2.0\r
            Via: SIP/2.0/UDP 10.0.0.7:5060;rport;branch=z9hG4bK7, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK6\r
            From: <sip:a@example.com>;tag=1\r
            To: <sip:b@example.com>\r
            Call-ID: nat@y\r
            CSeq: x OPTIONS\r
            Content-Length: 0\r
            \r
            """);
        assertThat(f.answerable()).isTrue();
        String answer = new String(f.errorResponse("tandem", "abc", new InetSocketAddress("203.0.113.9", 40123)),
            StandardCharsets.UTF_8);
        assertThat(answer)
            .contains("Via: SIP/2.0/UDP 10.0.0.7:5060;rport=40123;branch=z9hG4bK7;received=203.0.113.9\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK6\r\n")
            .contains("Call-ID: nat@y\r\n");
    }

    @Test
    void limitsAreEnforced() {
        String longLine = "X-Long: " + "a".repeat(SipParser.MAX_LINE_LENGTH) + "\r\n";
        SipParseFailure f = fail("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n" + longLine + "\r\n");
        assertThat(f.reason()).contains("longer than");
        StringBuilder many = new StringBuilder("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n");
        for (int i = 0; i <= SipParser.MAX_HEADERS; i++) {
            many.append("X: 1\r\n");
        }
        assertThat(fail(many + "\r\n").reason()).contains("header lines");
        assertThat(fail("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nl: 70000\r\n\r\n").status())
            .isEqualTo(513);
    }

    @Test
    void nulBytesAndBareLineFeedsAreRejectedNotThrown() {
        assertThat(fail("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: x\r\n\r\n").reason())
            .contains("bare CR or LF");
        assertThat(fail("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall\0-ID: 1\r\n\r\n").reason())
            .contains("without a name and colon");
    }

    @Test
    void onlyLineBreaksAreAKeepAlive() {
        byte[] b = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(SipParser.parse(b, 0, b.length)).isInstanceOf(SipParseResult.KeepAlive.class);
    }
}
