package io.tandem.softswitch.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.testing.ManualClock;
import io.tandem.softswitch.sip.testing.RecordingSender;
import io.tandem.softswitch.sip.testing.Requests;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientTransactionTest {
    final ManualClock clock = new ManualClock();
    final RecordingSender udp = new RecordingSender(clock, false);
    final TransactionLayer layer = new TransactionLayer(TransactionConfig.defaults(), tx -> tx.respond(500), id -> clock);
    final List<SipResponse> responses = new ArrayList<>();
    final List<ClientTransaction> timeouts = new ArrayList<>();
    final ClientTransactionListener listener = new ClientTransactionListener() {
        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
            responses.add(response);
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
            timeouts.add(transaction);
        }
    };

    SipRequest invite() {
        return Requests.invite(layer.newBranch());
    }

    @Test
    void inviteIsRetransmittedOnTimerAUntilTimerB() {
        layer.startClient(invite(), udp, clock, listener);
        clock.advance(31_999);
        assertThat(udp.times()).containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 31_500L);
        assertThat(timeouts).isEmpty();
        clock.advance(1);
        assertThat(timeouts).hasSize(1);
        assertThat(layer.size()).isZero();
    }

    @Test
    void provisionalStopsRetransmissionAndErrorIsAckedInsideTheTransaction() {
        SipRequest invite = invite();
        ClientTransaction tx = layer.startClient(invite, udp, clock, listener);
        clock.advance(600);
        layer.onResponse(invite.createResponse(180).toTag("callee").build());
        clock.advance(10_000);
        assertThat(udp.methods()).containsExactly("INVITE", "INVITE");
        SipResponse busy = invite.createResponse(486).toTag("callee").build();
        layer.onResponse(busy);
        layer.onResponse(busy);
        assertThat(responses).extracting(SipResponse::status).containsExactly(180, 486);
        assertThat(udp.methods()).containsExactly("INVITE", "INVITE", "ACK", "ACK");
        SipRequest ack = (SipRequest) udp.last();
        assertThat(ack.to().tag()).isEqualTo("callee");
        assertThat(ack.topVia().branch()).isEqualTo(invite.topVia().branch());
        assertThat(ack.cseq().sequence()).isEqualTo(invite.cseq().sequence());
        clock.advance(32_000);
        assertThat(tx.isTerminated()).as("Timer D").isTrue();
    }

    @Test
    void everyOkReachesTheUserUntilTimerM() {
        SipRequest invite = invite();
        layer.startClient(invite, udp, clock, listener);
        SipResponse ok = invite.createResponse(200).toTag("callee").build();
        layer.onResponse(ok);
        layer.onResponse(ok);
        assertThat(responses).hasSize(2);
        assertThat(udp.methods()).as("the ACK of a 2xx is the dialog's job").containsExactly("INVITE");
        clock.advance(32_000);
        assertThat(layer.size()).isZero();
    }

    @Test
    void cancelWaitsForAProvisional() {
        SipRequest invite = invite();
        InviteClientTransaction tx = (InviteClientTransaction) layer.startClient(invite, udp, clock, listener);
        tx.cancel();
        assertThat(udp.methods()).containsExactly("INVITE");
        layer.onResponse(invite.createResponse(183).toTag("callee").build());
        assertThat(udp.methods()).containsExactly("INVITE", "CANCEL");
        SipRequest cancel = (SipRequest) udp.last();
        assertThat(cancel.topVia().branch()).isEqualTo(invite.topVia().branch());
        assertThat(cancel.cseq().method()).isEqualTo("CANCEL");
        assertThat(cancel.to().tag()).isNull();
    }

    @Test
    void nonInviteRetransmitsOnTimerECappedAtT2UntilTimerF() {
        SipRequest bye = Requests.request("BYE", layer.newBranch(), "cb", "ft", 2).build();
        layer.startClient(bye, udp, clock, listener);
        clock.advance(32_000);
        assertThat(udp.times()).startsWith(0L, 500L, 1_500L, 3_500L, 7_500L, 11_500L);
        assertThat(timeouts).hasSize(1);
    }

    @Test
    void nonInviteOverTcpIsNotRetransmittedAndEndsOnTheFinal() {
        RecordingSender tcp = new RecordingSender(clock, true);
        SipRequest bye = Requests.request("BYE", layer.newBranch(), "cb", "ft", 2).build();
        ClientTransaction tx = layer.startClient(bye, tcp, clock, listener);
        clock.advance(10_000);
        assertThat(tcp.sent).hasSize(1);
        layer.onResponse(bye.createResponse(200).build());
        clock.advance(0);
        assertThat(tx.isTerminated()).isTrue();
        assertThat(responses).extracting(SipResponse::status).containsExactly(200);
    }

    @Test
    void responseForNoTransactionIsStray() {
        SipRequest bye = Requests.request("BYE", layer.newBranch(), "cb", "ft", 2).build();
        layer.onResponse(bye.createResponse(200).build());
        assertThat(layer.counters().strayResponses()).isEqualTo(1);
    }
}
