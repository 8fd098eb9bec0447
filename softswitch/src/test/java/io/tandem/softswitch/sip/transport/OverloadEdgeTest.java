package io.tandem.softswitch.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import io.tandem.softswitch.sip.transaction.SipRequestHandler;
import io.tandem.softswitch.sip.transaction.TransactionLayer;
import io.tandem.softswitch.sip.testing.EmbeddedSip;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The overload edge on the real UDP pipeline: what an overloaded node answers without parsing, and what it still parses. */
class OverloadEdgeTest {
    private final List<ServerTransaction> taken = new ArrayList<>();
    private final List<SipRequest> acksSeen = new ArrayList<>();
    private final EmbeddedSip sip = new EmbeddedSip(SipTransport.UDP, new SipRequestHandler() {
        @Override
        public void onRequest(ServerTransaction transaction) {
            taken.add(transaction);
        }

        @Override
        public void onAck(SipRequest ack) {
            acksSeen.add(ack);
        }
    });
    private final AtomicInteger budgetAsked = new AtomicInteger();
    private boolean budgetHasRoom;
    private boolean limiting = true;

    OverloadEdgeTest() {
        sip.layer.shedNewInvitesUnless(() -> {
            budgetAsked.incrementAndGet();
            return budgetHasRoom;
        }, () -> limiting, 2);
    }

    static String invite(String branch) {
        return "INVITE sip:442079460001@127.0.0.1:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=" + branch + "\r\n"
            + "From: <sip:sipp@127.0.0.1:5070>;tag=f-" + branch + "\r\n"
            + "To: <sip:442079460001@127.0.0.1:5060>\r\n"
            + "Call-ID: call-" + branch + "\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Length: 0\r\n\r\n";
    }

    static String ackOf(String branch, String toTag) {
        return invite(branch).replace("INVITE sip", "ACK sip").replace("1 INVITE", "1 ACK")
            .replace("To: <sip:442079460001@127.0.0.1:5060>", "To: <sip:442079460001@127.0.0.1:5060>;tag=" + toTag);
    }

    private void receive(String text) {
        sip.receive(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void whileLimitingTheExcessIsRefusedUnparsedAndItsAckDroppedUnparsed() {
        receive(invite("z9hG4bK-excess"));

        List<byte[]> sent = sip.sent();
        assertThat(sent).hasSize(1);
        SipResponse refusal = (SipResponse) ((SipParseResult.Parsed) SipParser.parse(sent.get(0), 0, sent.get(0).length)).message();
        assertThat(refusal.status()).isEqualTo(503);
        assertThat(refusal.header(HeaderName.RETRY_AFTER)).isEqualTo("2");
        assertThat(TransactionLayer.isShedTag(refusal.to().tag())).isTrue();
        assertThat(sip.layer.counters().shed()).isEqualTo(1);
        assertThat(sip.layer.counters().shedUnparsed()).isEqualTo(1);
        assertThat(sip.counters.decoded()).as("never parsed").isZero();
        assertThat(taken).isEmpty();

        receive(ackOf("z9hG4bK-excess", refusal.to().tag()));

        assertThat(sip.sent()).isEmpty();
        assertThat(sip.layer.counters().shedAcksDropped()).isEqualTo(1);
        assertThat(sip.counters.decoded()).as("the ACK was not parsed either").isZero();
        assertThat(acksSeen).isEmpty();
    }

    @Test
    void anInviteTheBudgetAdmitsIsTakenAndTheBudgetAskedOnce() {
        budgetHasRoom = true;

        receive(invite("z9hG4bK-room"));

        assertThat(taken).hasSize(1);
        assertThat(budgetAsked).hasValue(1);
        assertThat(sip.sentStatuses()).doesNotContain(503);
    }

    @Test
    void aRetransmissionOfATakenInviteIsAbsorbedNotRefused() {
        budgetHasRoom = true;
        receive(invite("z9hG4bK-taken"));
        budgetHasRoom = false;

        receive(invite("z9hG4bK-taken"));

        assertThat(taken).hasSize(1);
        assertThat(sip.sentStatuses()).as("100 Trying, then the same 100 again").containsOnly(100);
        assertThat(sip.layer.counters().shed()).isZero();
    }

    @Test
    void aRetransmissionOfARefusedInviteIsRefusedAgainOnceTheBudgetHasRoom() {
        receive(invite("z9hG4bK-twice"));
        budgetHasRoom = true;

        receive(invite("z9hG4bK-twice"));

        assertThat(sip.sentStatuses()).containsExactly(503, 503);
        assertThat(taken).isEmpty();
    }

    @Test
    void whileNotLimitingEveryDatagramIsParsed() {
        limiting = false;

        receive(invite("z9hG4bK-calm"));

        assertThat(sip.sentStatuses()).as("the parsed path sheds it").containsExactly(503);
        assertThat(sip.counters.decoded()).isEqualTo(1);
        assertThat(sip.layer.counters().shedUnparsed()).isZero();
    }

    @Test
    void aReInviteAndAnAckOfAnAnsweredCallArePassedOn() {
        receive(invite("z9hG4bK-dialog").replace("To: <sip:442079460001@127.0.0.1:5060>",
            "To: <sip:442079460001@127.0.0.1:5060>;tag=4f2a"));
        receive(ackOf("z9hG4bK-answered", "4f2a"));

        assertThat(sip.counters.decoded()).isEqualTo(2);
        assertThat(sip.layer.counters().shed()).isZero();
        assertThat(acksSeen).hasSize(1);
    }
}
