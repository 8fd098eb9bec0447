package io.tandem.softswitch.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
    private static final String INVITE = """
        INVITE sip:442079460001@127.0.0.1:5082 SIP/2.0\r
        Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-7-1-0\r
        From: sipp <sip:sipp@127.0.0.1:5061>;tag=7SIPpTag001\r
        To: <sip:442079460001@127.0.0.1:5082>\r
        Call-ID: 7-4242@127.0.0.1\r
        CSeq: 1 INVITE\r
        Contact: sip:sipp@127.0.0.1:5061\r
        Max-Forwards: 70\r
        User-Agent: sipp 3.6\r
        Content-Type: application/sdp\r
        Content-Length: 4\r
        \r
        v=0
        """;

    @Test
    void aPlainInviteReadsAsTheFullParseReadsIt() {
        RequestHead head = glance(INVITE);
        SipRequest parsed = parse(INVITE);

        assertThat(head.isInvite()).isTrue();
        assertThat(head.topVia()).isEqualTo(parsed.topVia());
        assertThat(head.serverKey()).isEqualTo(parsed.topVia().branch() + '|' + parsed.topVia().sentBy() + "|INVITE");
        assertThat(head.callId()).isEqualTo(parsed.callId());
        assertThat(head.toTag()).isNull();
        assertThat(head.hasRoute()).isFalse();
        assertThat(head.userAgent()).isEqualTo("sipp 3.6");
    }

    @Test
    void itsRefusalIsTheResponseTheFullParseWouldBuild() {
        SipRequest request = parse(INVITE);
        InetSocketAddress source = new InetSocketAddress("127.0.0.2", 5099);

        byte[] octets = glance(INVITE).statelessResponse(503, "Service Unavailable", "ovl42", source, "Retry-After", "2");

        SipResponse refusal = (SipResponse) ((SipParseResult.Parsed) SipParser.parse(octets, 0, octets.length)).message();
        assertThat(refusal.status()).isEqualTo(503);
        assertThat(refusal.topVia()).as("received added: the sent-by is not the source")
            .isEqualTo(request.topVia().stampedWithSource(source));
        assertThat(refusal.topVia().received()).isEqualTo("127.0.0.2");
        assertThat(refusal.from()).isEqualTo(request.from());
        assertThat(refusal.to()).isEqualTo(request.to().withTag("ovl42"));
        assertThat(refusal.callId()).isEqualTo(request.callId());
        assertThat(refusal.cseq()).isEqualTo(request.cseq());
        assertThat(refusal.header(HeaderName.RETRY_AFTER)).isEqualTo("2");
        assertThat(refusal.body()).isEmpty();
    }

    @Test
    void anEmptyRportIsFilledWithTheSourcePort() {
        String invite = INVITE.replace(";branch=z9hG4bK-7-1-0", ";rport;branch=z9hG4bK-7-1-0");
        InetSocketAddress source = new InetSocketAddress("127.0.0.1", 40000);

        byte[] octets = glance(invite).statelessResponse(503, "Service Unavailable", "ovl1", source, null, null);

        SipResponse refusal = (SipResponse) ((SipParseResult.Parsed) SipParser.parse(octets, 0, octets.length)).message();
        assertThat(refusal.topVia().rport()).isEqualTo(40000);
        assertThat(refusal.topVia()).isEqualTo(parse(invite).topVia().stampedWithSource(source));
    }

    @Test
    void compactHeaderNamesAndBareLineFeedsAreRead() {
        String compact = INVITE.replace("Via:", "v:").replace("From:", "f:").replace("To:", "t:").replace("Call-ID:", "i:")
            .replace("\r\n", "\n");

        RequestHead head = glance(compact);

        assertThat(head).isNotNull();
        assertThat(head.serverKey()).isEqualTo(glance(INVITE).serverKey());
        assertThat(head.callId()).isEqualTo("7-4242@127.0.0.1");
    }

    @Test
    void theAckOfARefusalShowsItsToTag() {
        String ack = INVITE.replace("INVITE sip", "ACK sip").replace("1 INVITE", "1 ACK")
            .replace("To: <sip:442079460001@127.0.0.1:5082>", "To: <sip:442079460001@127.0.0.1:5082>;tag=ovl9f");

        RequestHead head = glance(ack);

        assertThat(head.isInvite()).isFalse();
        assertThat(head.toTag()).isEqualTo("ovl9f");
    }

    @Test
    void whatIsNotThePlainFormIsLeftToTheFullParse() {
        assertThat(glance(INVITE.replace("INVITE sip", "OPTIONS sip").replace("1 INVITE", "1 OPTIONS"))).as("another method").isNull();
        assertThat(glance(INVITE.replace("Max-Forwards: 70\r\n", "Max-Forwards:\r\n 70\r\n"))).as("a folded line").isNull();
        assertThat(glance(INVITE.replace("branch=z9hG4bK-7-1-0", "branch=z9hG4bK-7-1-0, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKx")))
            .as("two Vias on the top line").isNull();
        assertThat(glance(INVITE.replace("CSeq: 1 INVITE\r\n", "CSeq: 1 INVITE\r\nTo: <sip:x@y>\r\n"))).as("a second To").isNull();
        assertThat(glance(INVITE.replace("CSeq: 1 INVITE\r\n", ""))).as("no CSeq").isNull();
        assertThat(glance(INVITE.replace("1 INVITE", "1 OPTIONS"))).as("a CSeq of another method").isNull();
        assertThat(glance(INVITE.replace("tag=7SIPpTag001", "tag=7SIPp\u0001Tag"))).as("a control character echoed back").isNull();
        assertThat(glance(INVITE.replace("Call-ID: 7-4242", "Call-ID: 7 4242"))).as("a Call-ID with a blank").isNull();
        assertThat(glance(INVITE.replace("SIP/2.0/UDP 127.0.0.1:5061", "SIP/2.0/UDP"))).as("a Via without sent-by").isNull();
        assertThat(glance(INVITE.replace(" SIP/2.0\r\nVia", " SIP/3.0\r\nVia"))).as("another version").isNull();
        assertThat(glance(INVITE.substring(0, INVITE.indexOf("\r\n\r\n") + 2))).as("no end of the headers").isNull();
        assertThat(glance(INVITE.replace("Call-ID: 7-4242@127.0.0.1\r", "Call-ID: 7-4242@127.0.0.1\rX"))).as("a lone CR").isNull();
    }

    @Test
    void aRouteIsReported() {
        assertThat(glance(INVITE.replace("Max-Forwards: 70", "Route: <sip:127.0.0.1:5082;lr>\r\nMax-Forwards: 70")).hasRoute()).isTrue();
    }

    private static RequestHead glance(String text) {
        byte[] b = ("xx" + text).getBytes(StandardCharsets.ISO_8859_1);
        return RequestHead.glance(b, 2, b.length - 2);
    }

    private static SipRequest parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return (SipRequest) ((SipParseResult.Parsed) SipParser.parse(b, 0, b.length)).message();
    }
}
