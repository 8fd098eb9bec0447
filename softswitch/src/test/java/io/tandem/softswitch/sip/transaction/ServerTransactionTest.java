package io.tandem.softswitch.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.CSeq;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.Via;
import io.tandem.softswitch.sip.testing.ManualClock;
import io.tandem.softswitch.sip.testing.RecordingSender;
import io.tandem.softswitch.sip.testing.Requests;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerTransactionTest {
    final ManualClock clock = new ManualClock();
    final RecordingSender udp = new RecordingSender(clock, false);
    final List<ServerTransaction> received = new ArrayList<>();
    final List<SipRequest> acks = new ArrayList<>();
    final List<InviteServerTransaction> ackTimeouts = new ArrayList<>();
    final SipRequestHandler tu = new SipRequestHandler() {
        @Override
        public void onRequest(ServerTransaction transaction) {
            received.add(transaction);
        }

        @Override
        public void onAck(SipRequest ack) {
            acks.add(ack);
        }

        @Override
        public void onAckTimeout(InviteServerTransaction invite) {
            ackTimeouts.add(invite);
        }
    };
    final TransactionLayer layer = new TransactionLayer(TransactionConfig.defaults(), tu, id -> clock);

    static SipRequest ackFor(SipRequest invite, SipResponse answer, String branch) {
        return invite.copy().method("ACK").header(HeaderName.TO, answer.header(HeaderName.TO))
            .removeHeader(HeaderName.VIA).via(Via.of("UDP", "198.51.100.7", 5060, branch))
            .cseq(new CSeq(invite.cseq().sequence(), "ACK")).noBody().build();
    }

    @Test
    void inviteGetsTryingAtOnceAndRetransmissionsAreAbsorbed() {
        SipRequest invite = Requests.invite("z9hG4bK1");
        layer.onRequest(invite, udp);
        assertThat(udp.statuses()).containsExactly(100);
        assertThat(received).hasSize(1);
        layer.onRequest(invite, udp);
        assertThat(received).as("the retransmission does not reach the application").hasSize(1);
        assertThat(udp.statuses()).as("the last provisional is repeated").containsExactly(100, 100);
    }

    /**
     * Issue #15 overload: while the node sheds, a new INVITE gets one stateless 503 with Retry-After
     * (never retransmitted, no transaction, never shown to the call engine); a retransmission of an
     * INVITE already taken and a re-INVITE inside a call are not new calls and are not shed.
     */
    @Test
    void whileSheddingANewInviteGetsOneStateless503WithRetryAfterButTakenCallsGoOn() {
        SipRequest taken = Requests.invite("z9hG4bK-taken");
        layer.onRequest(taken, udp);
        boolean[] overloaded = {true};
        layer.shedNewInvitesUnless(() -> !overloaded[0], 2);

        layer.onRequest(Requests.invite("z9hG4bK-excess"), udp);
        assertThat(udp.statuses()).containsExactly(100, 503);
        SipResponse shed = (SipResponse) udp.last();
        assertThat(shed.header(HeaderName.RETRY_AFTER)).isEqualTo("2");
        assertThat(shed.to().tag()).isNotNull();
        assertThat(received).as("the call engine never saw it").hasSize(1);
        assertThat(layer.size()).as("no transaction for it").isEqualTo(1);
        assertThat(layer.counters().shed()).isEqualTo(1);

        layer.onRequest(taken, udp);
        assertThat(udp.statuses()).as("the taken call's retransmission is absorbed").containsExactly(100, 503, 100);
        layer.onRequest(Requests.request("INVITE", "z9hG4bK-reinvite", "call-in-progress", "ft", 2)
            .to(Address.parse("<sip:+4930123456@203.0.113.10>;tag=ours")).build(), udp);
        assertThat(received).as("a re-INVITE is part of a call, not a new one").hasSize(2);
        clock.advance(40_000);
        assertThat(udp.statuses().stream().filter(status -> status == 503)).as("the 503 is never repeated").hasSize(1);

        overloaded[0] = false;
        layer.onRequest(Requests.invite("z9hG4bK-later"), udp);
        assertThat(received).hasSize(3);
    }

    /**
     * Issue #15 overload: an INVITE that was shed stays shed. Its retransmission (read after the 503 was
     * sent, because the node's queues ran late) once reached the call engine when the budget had room
     * again: the caller, who had its 503, then got a 200 for a call it had given up, while a vendor was
     * answered and charged for it until the missing ACK ended it 32 s later.
     */
    @Test
    void aRetransmissionOfAShedInviteIsShedAgainEvenWhenTheNodeHasRoomByThen() {
        boolean[] overloaded = {true};
        layer.shedNewInvitesUnless(() -> !overloaded[0], 2);
        SipRequest excess = Requests.invite("z9hG4bK-shed-once");
        layer.onRequest(excess, udp);
        overloaded[0] = false;

        layer.onRequest(excess, udp);
        assertThat(udp.statuses()).as("the retransmission gets the same answer").containsExactly(503, 503);
        assertThat(received).as("the call engine never saw the shed call").isEmpty();
        assertThat(layer.size()).isZero();

        layer.onRequest(Requests.invite("z9hG4bK-new-call"), udp);
        assertThat(received).as("a new INVITE is taken again").hasSize(1);
    }

    @Test
    void errorAnswerIsRetransmittedOnTimerGUntilTheAck() {
        SipRequest invite = Requests.invite("z9hG4bK2");
        layer.onRequest(invite, udp);
        received.getFirst().respond(486);
        clock.advance(3_600);
        assertThat(udp.times()).containsExactly(0L, 0L, 500L, 1_500L, 3_500L);
        assertThat(udp.statuses()).containsExactly(100, 486, 486, 486, 486);
        SipResponse busy = (SipResponse) udp.last();
        layer.onRequest(ackFor(invite, busy, "z9hG4bK2"), udp);
        InviteServerTransaction tx = (InviteServerTransaction) received.getFirst();
        assertThat(tx.state()).isEqualTo(InviteServerTransaction.State.CONFIRMED);
        clock.advance(60_000);
        assertThat(udp.sent).hasSize(5);
        assertThat(tx.isTerminated()).isTrue();
        assertThat(layer.size()).isZero();
        assertThat(acks).as("a non-2xx ACK stays inside the transaction").isEmpty();
    }

    @Test
    void timerGIsCappedAtT2AndTimerHEndsTheWait() {
        layer.onRequest(Requests.invite("z9hG4bK3"), udp);
        received.getFirst().respond(503);
        clock.advance(32_000);
        List<Long> resends = udp.times().subList(2, udp.times().size());
        assertThat(resends).startsWith(500L, 1_500L, 3_500L, 7_500L, 11_500L, 15_500L);
        assertThat(received.getFirst().isTerminated()).isTrue();
        assertThat(layer.size()).isZero();
    }

    @Test
    void okIsRetransmittedUntilTheDialogAck() {
        SipRequest invite = Requests.invite("z9hG4bK4");
        layer.onRequest(invite, udp);
        received.getFirst().respond(200);
        clock.advance(1_600);
        assertThat(udp.statuses()).containsExactly(100, 200, 200, 200);
        layer.onRequest(ackFor(invite, (SipResponse) udp.last(), "z9hG4bKack"), udp);
        assertThat(acks).hasSize(1);
        clock.advance(40_000);
        assertThat(udp.statuses()).hasSize(4);
        assertThat(ackTimeouts).isEmpty();
        assertThat(layer.size()).isZero();
    }

    @Test
    void anAckedInviteKeepsNoMessageWhileItAbsorbsRetransmissionsUntilTimerL() {
        SipRequest invite = Requests.invite("z9hG4bK4r");
        layer.onRequest(invite, udp);
        ServerTransaction tx = received.getFirst();
        tx.respond(200);
        layer.onRequest(ackFor(invite, (SipResponse) udp.last(), "z9hG4bKackr"), udp);
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(tx::request)
            .withMessageContaining("only absorbs retransmissions");
        layer.onRequest(invite, udp);
        assertThat(received).as("a retransmitted INVITE is still absorbed").hasSize(1);
        assertThat(udp.statuses()).containsExactly(100, 200);
        clock.advance(32_000);
        assertThat(layer.size()).isZero();
    }

    @Test
    void ackOfTheOkWithTheInvitesBranchStillReachesTheDialog() {
        SipRequest invite = Requests.invite("z9hG4bKsame");
        layer.onRequest(invite, udp);
        received.getFirst().respond(200);
        layer.onRequest(ackFor(invite, (SipResponse) udp.last(), "z9hG4bKsame"), udp);
        assertThat(acks).hasSize(1);
        clock.advance(40_000);
        assertThat(udp.statuses()).as("no 2xx retransmission after the ACK").containsExactly(100, 200);
        assertThat(ackTimeouts).isEmpty();
    }

    @Test
    void okNeverAckedIsReportedAfter64T1() {
        layer.onRequest(Requests.invite("z9hG4bK5"), udp);
        received.getFirst().respond(200);
        clock.advance(31_999);
        assertThat(ackTimeouts).isEmpty();
        clock.advance(1);
        assertThat(ackTimeouts).hasSize(1);
        assertThat(udp.times().getLast()).isLessThanOrEqualTo(32_000L);
    }

    @Test
    void overTcpNothingIsRetransmittedAndCompletedEndsAtOnce() {
        RecordingSender tcp = new RecordingSender(clock, true);
        SipRequest bye = Requests.request("BYE", "z9hG4bK6", "c6", "ft", 2).build();
        layer.onRequest(bye, tcp);
        received.getFirst().respond(200);
        clock.advance(0);
        assertThat(received.getFirst().isTerminated()).isTrue();
        assertThat(tcp.statuses()).containsExactly(200);
    }

    @Test
    void nonInviteAbsorbsWhileTryingAndRepeatsTheFinalWhileCompleted() {
        SipRequest bye = Requests.request("BYE", "z9hG4bK7", "c7", "ft", 2).build();
        layer.onRequest(bye, udp);
        layer.onRequest(bye, udp);
        assertThat(udp.sent).as("nothing to repeat while Trying").isEmpty();
        received.getFirst().respond(200);
        layer.onRequest(bye, udp);
        assertThat(udp.statuses()).containsExactly(200, 200);
        assertThat(udp.sent.get(1).message().toBytes()).as("the same answer, octet for octet")
            .isEqualTo(udp.sent.get(0).message().toBytes());
        clock.advance(31_999);
        assertThat(layer.size()).isEqualTo(1);
        clock.advance(1);
        assertThat(layer.size()).as("Timer J").isZero();
    }

    @Test
    void cancelGets200AndTheInviteGets487() {
        SipRequest invite = Requests.invite("z9hG4bK8");
        layer.onRequest(invite, udp);
        SipRequest cancel = invite.copy().method("CANCEL").cseq(new CSeq(1, "CANCEL")).noBody().build();
        layer.onRequest(cancel, udp);
        assertThat(udp.statuses()).containsExactly(100, 200, 487);
        SipResponse cancelOk = (SipResponse) udp.sent.get(1).message();
        assertThat(cancelOk.cseq().method()).isEqualTo("CANCEL");
    }

    @Test
    void cancelForNothingGets481() {
        SipRequest cancel = Requests.request("CANCEL", "z9hG4bK9", "c9", "ft", 1).build();
        layer.onRequest(cancel, udp);
        assertThat(udp.statuses()).containsExactly(481);
        assertThat(received).isEmpty();
    }

    @Test
    void mergedRequestAndLoopAndExhaustedMaxForwardsGet482And483() {
        layer.onRequest(Requests.request("INVITE", "z9hG4bKa", "ca", "ft", 1).build(), udp);
        layer.onRequest(Requests.request("INVITE", "z9hG4bKb", "ca", "ft", 1).build(), udp);
        SipRequest looped = Requests.request("INVITE", "z9hG4bKc", "cc", "ft", 1)
            .addHeader(HeaderName.VIA, Via.of("UDP", "203.0.113.1", 5060, layer.newBranch()).toString()).build();
        layer.onRequest(looped, udp);
        layer.onRequest(Requests.request("INVITE", "z9hG4bKd", "cd", "ft", 1).maxForwards(0).build(), udp);
        assertThat(udp.statuses()).containsExactly(100, 482, 482, 483);
        assertThat(received).hasSize(1);
    }

    @Test
    void optionsKeepAliveIsAnsweredWithoutATransaction() {
        SipRequest options = Requests.request("OPTIONS", "z9hG4bKe", "ce", "ft", 1).build();
        layer.onRequest(options, udp);
        SipResponse ok = (SipResponse) udp.last();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header(HeaderName.ALLOW)).contains("INVITE");
        assertThat(ok.header(HeaderName.ACCEPT)).isEqualTo("application/sdp");
        assertThat(ok.to().tag()).isNotNull();
        assertThat(layer.size()).isZero();
        assertThat(received).isEmpty();
    }

    @Test
    void whileTheNodeTakesNoCallsKeepAlivesAre503WithRetryAfterAndAfterwards200Again() {
        layer.setRefusingCalls(true);
        layer.onRequest(Requests.request("OPTIONS", "z9hG4bKw1", "cw1", "ft", 1).build(), udp);
        SipResponse refusing = (SipResponse) udp.last();
        assertThat(refusing.status()).isEqualTo(503);
        assertThat(refusing.header(HeaderName.RETRY_AFTER)).isEqualTo("5");
        assertThat(layer.size()).isZero();

        layer.setRefusingCalls(false);
        layer.onRequest(Requests.request("OPTIONS", "z9hG4bKw2", "cw2", "ft", 1).build(), udp);
        assertThat(((SipResponse) udp.last()).status()).isEqualTo(200);
    }

    @Test
    void requireOfAnUnknownExtensionGets420WithUnsupported() {
        SipRequest r = Requests.request("INVITE", "z9hG4bKf", "cf", "ft", 1).addHeader("Require", "100rel, foo").build();
        layer.onRequest(r, udp);
        SipResponse bad = (SipResponse) udp.last();
        assertThat(bad.status()).isEqualTo(420);
        assertThat(bad.header(HeaderName.UNSUPPORTED)).isEqualTo("100rel, foo");
    }

    @Test
    void responsesSayWhereTheRequestReallyCameFrom() {
        SipRequest natted = Requests.request("BYE", "z9hG4bKh", "ch", "ft", 2).build()
            .copy().header(HeaderName.VIA, "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKh;rport").build();
        layer.onRequest(natted, udp, new java.net.InetSocketAddress("192.0.2.44", 40000));
        received.getFirst().respond(200);
        Via top = ((SipResponse) udp.last()).topVia();
        assertThat(top.received()).isEqualTo("192.0.2.44");
        assertThat(top.rport()).isEqualTo(40000);
        assertThat(top.branch()).isEqualTo("z9hG4bKh");
    }

    @Test
    void aHandlerThatThrowsStillGetsTheRequestAnswered() {
        TransactionLayer broken = new TransactionLayer(TransactionConfig.defaults(), tx -> {
            throw new IllegalStateException("bug in the call engine");
        }, id -> clock);
        broken.onRequest(Requests.invite("z9hG4bKi"), udp);
        assertThat(udp.statuses()).containsExactly(100, 500);
    }

    @Test
    void responsesCarryOneStableToTag() {
        layer.onRequest(Requests.invite("z9hG4bKg"), udp);
        ServerTransaction tx = received.getFirst();
        tx.respond(180);
        tx.respond(200);
        List<String> tags = udp.sent.stream().skip(1).map(s -> ((SipResponse) s.message()).to().tag()).toList();
        assertThat(tags).containsExactly(tx.toTag(), tx.toTag());
        assertThat(Address.parse(udp.sent.getFirst().message().header(HeaderName.TO)).tag()).isNull();
    }
}
