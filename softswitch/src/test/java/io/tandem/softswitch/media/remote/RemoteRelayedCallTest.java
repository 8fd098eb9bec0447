package io.tandem.softswitch.media.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.call.MessageBody;
import io.tandem.softswitch.media.sdp.SessionDescription;
import io.tandem.softswitch.sip.testing.ManualClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A call anchored on a remote media node, and what becomes of it when that node is lost. Fake nodes, time by hand. */
class RemoteRelayedCallTest {

    private final HandMovedInstant clock = new HandMovedInstant();
    private final FakeMediaNodeControl control = new FakeMediaNodeControl();
    private final MediaNodes nodes = new MediaNodes(List.of("media-a", "media-b"), control, clock,
            new MediaNodes.Settings(Duration.ofSeconds(15), 5_000, 8, 4));
    private final ManualClock loop = new ManualClock();
    private final List<String> ended = new ArrayList<>();
    private final CallFacts facts = new CallFacts(UUID.randomUUID(), "call-1", null, new InetSocketAddress("203.0.113.7", 5060), "a", "b",
            Instant.now(), 0);
    private RemoteRelayedCall call;

    @BeforeEach
    void twoHealthyNodesAPreferred() {
        control.load("media-b", 10, 5_000);
        nodes.heartbeats(Map.of("media-a", clock.instant(), "media-b", clock.instant()));
        nodes.tick();
        call = new RemoteRelayedCall(nodes, control, facts, loop, (c, node) -> ended.add(node), false);
    }

    @Test
    void eachLegSeesOnlyTheMediaNodeAndTheNodeLearnsBothTargets() throws Exception {
        String offer = text(call.towardVendor(sdp("10.0.0.5", 4000)));
        String answer = text(call.towardCustomer(sdp("198.51.100.1", 5000)));
        assertThat(offer).contains("c=IN IP4 192.0.2.1").doesNotContain("10.0.0.5");
        assertThat(answer).contains("c=IN IP4 192.0.2.1").doesNotContain("198.51.100.1");
        MediaNodeControl.StreamTargets stream = control.lastUpdate("media-a").streams().getFirst();
        assertThat(stream.customer()).isEqualTo(new MediaNodeControl.Endpoint("10.0.0.5", 4000));
        assertThat(stream.vendor()).isEqualTo(new MediaNodeControl.Endpoint("198.51.100.1", 5000));
        // the vendor sends to the node's vendor-facing port, the customer to its customer-facing one
        assertThat(port(offer)).isEqualTo(stream.vendorPort());
        assertThat(port(answer)).isEqualTo(stream.customerPort());
        call.answered();
        assertThat(control.lastUpdate("media-a").answered()).isTrue();
        call.close();
        assertThat(control.releases).containsExactly("media-a");
    }

    @Test
    void aNodeLostBeforeAnswerIsReplacedAtTheNextSdpWithBothSidesTargets() throws Exception {
        call.towardVendor(sdp("10.0.0.5", 4000));
        assertThat(call.node()).isEqualTo("media-a");
        control.dead.add("media-a");
        nodes.tick();
        String answer = text(call.towardCustomer(sdp("198.51.100.1", 5000)));
        assertThat(call.node()).isEqualTo("media-b");
        assertThat(answer).contains("c=IN IP4 192.0.2.2");
        MediaNodeControl.StreamTargets moved = control.lastUpdate("media-b").streams().getFirst();
        assertThat(moved.customer()).isEqualTo(new MediaNodeControl.Endpoint("10.0.0.5", 4000));
        assertThat(moved.vendor()).isEqualTo(new MediaNodeControl.Endpoint("198.51.100.1", 5000));
        assertThat(port(answer)).isEqualTo(moved.customerPort());
        call.answered();
        assertThat(ended).isEmpty();
        // the next vendor's offer (a failover attempt) names the new node too
        assertThat(text(call.towardVendor(sdp("10.0.0.5", 4000)))).contains("c=IN IP4 192.0.2.2");
    }

    @Test
    void aNodeLostAfterAnswerEndsTheCallWithItsName() {
        call.towardVendor(sdp("10.0.0.5", 4000));
        call.towardCustomer(sdp("198.51.100.1", 5000));
        call.answered();
        clock.advance(Duration.ofSeconds(16));
        nodes.heartbeats(Map.of("media-b", clock.instant()));
        assertThat(ended).containsExactly("media-a");
    }

    @Test
    void aNodeThatRefusesTheSessionStaysHealthyAndOnlyThatCallMovesOnAtItsNextSdp() throws Exception {
        control.full.add("media-a");
        assertThat(text(call.towardVendor(sdp("10.0.0.5", 4000)))).contains("c=IN IP4 192.0.2.1");
        assertThat(call.node()).isNull();
        assertThat(nodes.loads()).containsKey("media-a");
        control.full.remove("media-a");
        control.load("media-a", 5_000, 5_000);
        nodes.tick();
        String answer = text(call.towardCustomer(sdp("198.51.100.1", 5000)));
        assertThat(call.node()).isEqualTo("media-b");
        assertThat(answer).contains("c=IN IP4 192.0.2.2");
        assertThat(ended).isEmpty();
    }

    @Test
    void aCallOnAnotherNodeIsNotEndedByThisNodesLoss() {
        control.load("media-a", 50, 5_000);
        nodes.tick();
        call.towardVendor(sdp("10.0.0.5", 4000));
        call.answered();
        assertThat(call.node()).isEqualTo("media-b");
        control.dead.add("media-a");
        nodes.tick();
        assertThat(ended).isEmpty();
    }

    @Test
    void withNoHealthyNodeTheSdpIsRelayedAsItCame() {
        clock.advance(Duration.ofSeconds(20));
        nodes.tick();
        MessageBody offer = sdp("10.0.0.5", 4000);
        assertThat(call.towardVendor(offer)).isSameAs(offer);
        assertThat(call.node()).isNull();
    }

    private static int port(String sdp) throws Exception {
        return SessionDescription.parse(sdp).media().getFirst().port();
    }

    private static String text(MessageBody body) {
        return new String(body.content(), StandardCharsets.UTF_8);
    }

    static MessageBody sdp(String address, int port) {
        String text = "v=0\r\no=x 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return new MessageBody("application/sdp", text.getBytes(StandardCharsets.US_ASCII));
    }
}
