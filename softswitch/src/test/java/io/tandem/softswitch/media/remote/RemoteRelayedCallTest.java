package io.tandem.softswitch.media.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.cdr.CdrMediaStats;
import io.tandem.routing.Gateway;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.routing.provisioning.TrunkAccess;
import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.call.CallRejection;
import io.tandem.softswitch.call.MediaAnchor;
import io.tandem.softswitch.call.MessageBody;
import io.tandem.softswitch.media.relay.MediaStats;
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
import java.util.concurrent.CompletableFuture;
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
    private final List<UUID> timedOut = new ArrayList<>();
    private final List<MediaStats> figuresHeard = new ArrayList<>();
    private final CallFacts facts = new CallFacts(UUID.randomUUID(), "call-1", null, new InetSocketAddress("203.0.113.7", 5060), "a", "b",
            Instant.now(), 0);
    private RemoteRelayedCall call;

    @BeforeEach
    void twoHealthyNodesAPreferred() {
        control.load("media-b", 10, 5_000);
        nodes.heartbeats(Map.of("media-a", clock.instant(), "media-b", clock.instant()));
        nodes.tick();
        call = new RemoteRelayedCall(nodes, control, facts, loop, new RemoteRelayedCall.Listener() {
            @Override
            public void mediaNodeLost(CallFacts c, String node) {
                ended.add(node);
            }

            @Override
            public void mediaTimedOut(CallFacts c) {
                timedOut.add(c.id());
            }

            @Override
            public void mediaEnded(CallFacts c, MediaStats stats) {
                figuresHeard.add(stats);
            }
        }, MediaMode.RELAY, Duration.ofSeconds(60), Duration.ofHours(1));
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
    void theCallIsReadyForMediaOnlyOnceTheNodeAcknowledgedTheLatestUpdateOrItFailed() {
        control.slow.add("media-a");
        call.towardVendor(sdp("10.0.0.5", 4000));
        call.towardCustomer(sdp("198.51.100.1", 5000));
        call.answered();
        assertThat(control.held).hasSize(3);
        CompletableFuture<Void> ready = call.ready().toCompletableFuture();
        assertThat(ready).as("the node does not know the vendor's address yet").isNotDone();
        control.held.get(1).complete(new MediaNodeControl.NodeLoad(1, 5_000));
        assertThat(ready).as("an older update answered").isNotDone();
        control.held.get(2).completeExceptionally(new java.util.concurrent.TimeoutException());
        assertThat(ready).as("failed: waiting longer helps nothing").isCompletedWithValue(null);

        RemoteRelayedCall unanchored = new RemoteRelayedCall(nodes, control, facts, loop, (c, node) -> ended.add(node), false);
        unanchored.towardVendor(sdp("203.0.113.7", 4000));
        assertThat(unanchored.ready()).as("auto, clean offer: no node to wait for").isCompleted();
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
    void withNoHealthyNodeAnOfferThatMustBeAnchoredIsRefused503NoFreeMediaPort() {
        clock.advance(Duration.ofSeconds(20));
        nodes.tick();
        MessageBody offer = sdp("10.0.0.5", 4000);
        call.towardVendor(offer);
        assertThat(call.refusal()).as("not sent on unanchored").isEqualTo(new CallRejection.NoMediaPorts());
        assertThat(call.node()).isNull();
        assertThat(control.updates).isEmpty();
    }

    @Test
    void whenTheNodeHasNoLeasedPortsLeftTheOfferIsRefused503() {
        control.noPorts.add("media-a");
        control.noPorts.add("media-b");
        MediaNodes dry = new MediaNodes(List.of("media-a", "media-b"), control, clock, new MediaNodes.Settings(Duration.ofSeconds(15), 5_000, 8, 4));
        dry.heartbeats(Map.of("media-a", clock.instant(), "media-b", clock.instant()));
        dry.tick();
        MediaAnchor media = new RemoteMediaAnchors(dry, control, (c, node) -> ended.add(node)).open(facts(MediaMode.RELAY, "203.0.113.7"), loop);
        media.towardVendor(sdp("10.0.0.5", 4000));
        assertThat(media.refusal()).isEqualTo(new CallRejection.NoMediaPorts());
    }

    @Test
    void anSdpThatDoesNotParseIsRefused488WhenTheCallMustBeAnchoredAndPassesWhenNoSideAsks() {
        MessageBody broken = new MessageBody("application/sdp", "v=0\r\nthis is not sdp\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(call.towardVendor(broken)).isSameAs(broken);
        assertThat(call.refusal()).isInstanceOf(CallRejection.MediaNotAcceptable.class);
        assertThat(((CallRejection.MediaNotAcceptable) call.refusal()).why()).contains("line 2");
        assertThat(control.updates).as("no node was told of it").isEmpty();
        // a good offer next (a re-INVITE, the next attempt) crosses, and the refusal is not left behind
        assertThat(text(call.towardVendor(sdp("10.0.0.5", 4000)))).contains("c=IN IP4 192.0.2.1");
        assertThat(call.refusal()).isNull();
        // the vendor's answer that does not parse ends that attempt (488), as on the local relay
        call.towardCustomer(broken);
        assertThat(call.refusal()).isInstanceOf(CallRejection.MediaNotAcceptable.class);

        MediaAnchor bypass = anchors().open(facts(MediaMode.BYPASS, "203.0.113.7"), loop);
        bypass.vendorChosen(gateway("bypass"), new InetSocketAddress("198.51.100.1", 5060));
        assertThat(bypass.towardVendor(broken)).as("neither side asks: relayed as it came").isSameAs(broken);
        assertThat(bypass.refusal()).isNull();

        MediaAnchor auto = anchors().open(facts(MediaMode.AUTO, "203.0.113.7"), loop);
        auto.vendorChosen(gateway("bypass"), new InetSocketAddress("198.51.100.1", 5060));
        auto.towardVendor(broken);
        assertThat(auto.refusal()).as("auto cannot vouch for an SDP it cannot read").isInstanceOf(CallRejection.MediaNotAcceptable.class);
    }

    @Test
    void aVendorOfferedANodeLostBeforeAnswerIsOfferedTheNewNodeOnceAnswered() throws Exception {
        assertThat(text(call.towardVendor(sdp("10.0.0.5", 4000)))).contains("c=IN IP4 192.0.2.1");
        control.dead.add("media-a");
        nodes.tick();
        call.towardCustomer(sdp("198.51.100.1", 5000));
        assertThat(call.node()).isEqualTo("media-b");
        assertThat(call.reofferTowardVendor()).as("not answered: nothing may be sent yet").isNull();
        call.answered();
        String reoffer = text(call.reofferTowardVendor());
        assertThat(reoffer).contains("c=IN IP4 192.0.2.2").doesNotContain("192.0.2.1").doesNotContain("10.0.0.5");
        assertThat(port(reoffer)).isEqualTo(control.lastUpdate("media-b").streams().getFirst().vendorPort());
        assertThat(call.reofferTowardVendor()).as("once").isNull();
    }

    @Test
    void aVendorOfferedANodeThatRefusedTheSessionIsOfferedTheNodeTheCallMovedTo() throws Exception {
        control.full.add("media-a");
        assertThat(text(call.towardVendor(sdp("10.0.0.5", 4000)))).contains("c=IN IP4 192.0.2.1");
        control.full.remove("media-a");
        control.load("media-a", 5_000, 5_000);
        nodes.tick();
        call.towardCustomer(sdp("198.51.100.1", 5000));
        call.answered();
        assertThat(text(call.reofferTowardVendor())).contains("c=IN IP4 192.0.2.2");
    }

    @Test
    void aCallThatStayedOnItsNodeNeedsNoNewOffer() {
        call.towardVendor(sdp("10.0.0.5", 4000));
        call.towardCustomer(sdp("198.51.100.1", 5000));
        call.answered();
        assertThat(call.reofferTowardVendor()).isNull();
    }

    @Test
    void theNodeIsToldTheMediaTimeoutAndTheHoldTimeoutWhileHeld() {
        call.towardVendor(sdp("10.0.0.5", 4000));
        call.towardCustomer(sdp("198.51.100.1", 5000));
        call.answered();
        assertThat(control.lastUpdate("media-a").silenceLimitMillis()).isEqualTo(60_000);
        call.towardVendor(held(sdp("10.0.0.5", 4000)));
        assertThat(control.lastUpdate("media-a").silenceLimitMillis()).as("on hold").isEqualTo(3_600_000);
        call.towardVendor(sdp("10.0.0.5", 4000));
        assertThat(control.lastUpdate("media-a").silenceLimitMillis()).as("off hold").isEqualTo(60_000);
    }

    @Test
    void anAnsweredCallTheNodeReportsSilentEndsOnceWithMediaTimeout() {
        call.towardVendor(sdp("10.0.0.5", 4000));
        call.towardCustomer(sdp("198.51.100.1", 5000));
        control.silent.put("media-a", List.of(facts.id()));
        nodes.tick();
        assertThat(timedOut).as("not answered yet: silence does not count").isEmpty();
        call.answered();
        nodes.tick();
        nodes.tick();
        assertThat(timedOut).containsExactly(facts.id());
        assertThat(ended).isEmpty();
    }

    @Test
    void anotherCallsSilenceOrAnotherNodesReportDoesNotEndThisCall() {
        call.towardVendor(sdp("10.0.0.5", 4000));
        call.towardCustomer(sdp("198.51.100.1", 5000));
        call.answered();
        control.silent.put("media-a", List.of(UUID.randomUUID()));
        control.silent.put("media-b", List.of(facts.id()));
        nodes.tick();
        assertThat(timedOut).isEmpty();
    }

    @Test
    void theFiguresTheNodeAnswersToTheReleaseGoToTheCdr() {
        control.figures = new MediaStats(new MediaStats.Direction(1500, 258_000, 3, 2), new MediaStats.Direction(1490, 256_280, 0, 4));
        call.towardVendor(sdp("10.0.0.5", 4000));
        call.towardCustomer(sdp("198.51.100.1", 5000));
        call.answered();
        call.close();
        CdrMediaStats cdr = call.closed().toCompletableFuture().join();
        assertThat(cdr).isEqualTo(new CdrMediaStats(new CdrMediaStats.Direction(1500, 258_000, 3, 2),
                new CdrMediaStats.Direction(1490, 256_280, 0, 4)));
        assertThat(figuresHeard).containsExactly(control.figures);
    }

    @Test
    void aCallWhoseNodeDiedOrThatWasNeverAnchoredHasNoFigures() {
        call.towardVendor(sdp("10.0.0.5", 4000));
        control.dead.add("media-a");
        call.close();
        assertThat(call.closed().toCompletableFuture().join()).isNull();
        RemoteRelayedCall unanchored = new RemoteRelayedCall(nodes, control, facts, loop, (c, node) -> ended.add(node), false);
        unanchored.close();
        assertThat(unanchored.closed().toCompletableFuture().join()).isNull();
    }

    @Test
    void aBypassTrunksCallIsAnchoredOnAMediaNodeOnlyFromTheAttemptWhoseGatewayAsks() throws Exception {
        MediaAnchor media = anchors().open(facts(MediaMode.BYPASS, "203.0.113.7"), loop);
        InetSocketAddress publicGateway = new InetSocketAddress("198.51.100.1", 5060);
        MessageBody offer = sdp("203.0.113.7", 4000);

        media.vendorChosen(gateway("bypass"), publicGateway);
        assertThat(media.towardVendor(offer)).as("neither side asks").isSameAs(offer);
        MessageBody answer = sdp("198.51.100.1", 5000);
        assertThat(media.towardCustomer(answer)).as("the answer of an attempt not anchored").isSameAs(answer);
        media.vendorChosen(gateway("auto"), publicGateway);
        assertThat(media.towardVendor(offer)).as("auto gateway on a public address").isSameAs(offer);
        assertThat(control.updates).as("no media node was told of the call").isEmpty();

        media.vendorChosen(gateway("auto"), new InetSocketAddress("10.1.2.3", 5060)); // a private interconnect
        String anchored = text(media.towardVendor(offer));
        assertThat(anchored).contains("c=IN IP4 192.0.2.1").doesNotContain("203.0.113.7");
        assertThat(((RemoteRelayedCall) media).node()).isEqualTo("media-a");
        assertThat(control.lastUpdate("media-a").streams().getFirst().customer())
                .isEqualTo(new MediaNodeControl.Endpoint("203.0.113.7", 4000));

        media.vendorChosen(gateway("bypass"), publicGateway); // failover: once anchored, the call stays anchored
        assertThat(text(media.towardVendor(offer))).contains("c=IN IP4 192.0.2.1");
        assertThat(text(media.towardCustomer(answer))).contains("c=IN IP4 192.0.2.1").doesNotContain("198.51.100.1");
        assertThat(control.lastUpdate("media-a").streams().getFirst().vendor())
                .isEqualTo(new MediaNodeControl.Endpoint("198.51.100.1", 5000));
        media.close();
        assertThat(control.releases).containsExactly("media-a");
    }

    @Test
    void aGatewayInRelayAnchorsTheCallOfABypassTrunkAndOfAnAutoTrunkWhoseOfferIsClean() {
        InetSocketAddress publicGateway = new InetSocketAddress("198.51.100.1", 5060);
        for (MediaMode trunkMode : List.of(MediaMode.BYPASS, MediaMode.AUTO)) {
            MediaAnchor clean = anchors().open(facts(trunkMode, "203.0.113.7"), loop);
            clean.vendorChosen(gateway("bypass"), publicGateway);
            MessageBody offer = sdp("203.0.113.7", 4000); // public, and the address the INVITE came from
            assertThat(clean.towardVendor(offer)).as(trunkMode + " trunk, bypass gateway").isSameAs(offer);
            clean.vendorChosen(gateway("relay"), publicGateway);
            assertThat(text(clean.towardVendor(offer))).as(trunkMode + " trunk, relay gateway").contains("c=IN IP4 192.0.2.1");
            clean.close();
        }
    }

    @Test
    void theTrunkAloneAnchorsWhateverItsGatewaysSay() {
        InetSocketAddress publicGateway = new InetSocketAddress("198.51.100.1", 5060);
        MediaAnchor relayTrunk = anchors().open(facts(MediaMode.RELAY, "203.0.113.7"), loop);
        relayTrunk.vendorChosen(gateway("bypass"), publicGateway);
        assertThat(text(relayTrunk.towardVendor(sdp("203.0.113.7", 4000)))).contains("c=IN IP4 192.0.2.1");
        MediaAnchor natted = anchors().open(facts(MediaMode.AUTO, "203.0.113.7"), loop);
        natted.vendorChosen(gateway("bypass"), publicGateway);
        assertThat(text(natted.towardVendor(sdp("10.0.0.5", 4000)))).as("auto trunk, private SDP address").contains("c=IN IP4 192.0.2.1");
        assertThat(anchors().open(new CallFacts(UUID.randomUUID(), "no-trunk", null, null, "a", "b", Instant.now(), 0), loop))
                .as("a call without a trunk").isSameAs(MediaAnchor.PASS_THROUGH);
    }

    @Test
    void aCallWithoutAnOfferIsAnchoredOnTheVendorsOfferWhenItsTrunkOrGatewayAsks() {
        InetSocketAddress publicGateway = new InetSocketAddress("198.51.100.1", 5060);
        for (MediaMode trunkMode : List.of(MediaMode.RELAY, MediaMode.AUTO)) {
            MediaAnchor lateOffer = anchors().open(facts(trunkMode, "203.0.113.7"), loop);
            lateOffer.vendorChosen(gateway("bypass"), publicGateway);
            assertThat(lateOffer.towardVendor(null)).isNull();
            assertThat(text(lateOffer.towardCustomer(sdp("198.51.100.1", 5000)))).as(trunkMode + " trunk, the vendor's offer in its 200")
                    .contains("c=IN IP4 192.0.2.1").doesNotContain("198.51.100.1");
            lateOffer.close();
        }
        MediaAnchor bypass = anchors().open(facts(MediaMode.BYPASS, "203.0.113.7"), loop);
        bypass.vendorChosen(gateway("bypass"), publicGateway);
        bypass.towardVendor(null);
        MessageBody vendorOffer = sdp("198.51.100.1", 5000);
        assertThat(bypass.towardCustomer(vendorOffer)).as("neither side asks").isSameAs(vendorOffer);
        bypass.vendorChosen(gateway("relay"), publicGateway);
        bypass.towardVendor(null);
        assertThat(text(bypass.towardCustomer(vendorOffer))).as("the next attempt's gateway asks").contains("c=IN IP4 192.0.2.1");
    }

    private RemoteMediaAnchors anchors() {
        return new RemoteMediaAnchors(nodes, control, (c, node) -> ended.add(node));
    }

    private static CallFacts facts(MediaMode trunkMode, String source) {
        TrunkAccess trunk = new TrunkAccess(1, 1, "t", true, List.of(), List.of(), "active", true, null, null, null, null, null, true,
                trunkMode);
        return new CallFacts(UUID.randomUUID(), "call-2", trunk, new InetSocketAddress(source, 5060), "a", "b", Instant.now(), 0);
    }

    private static Gateway gateway(String mediaMode) {
        return new Gateway(7, 2, "gw", "vendor.example", 5060, "udp", "", 1, 100, true, null, null, null, null, null, mediaMode);
    }

    private static MessageBody held(MessageBody sdp) {
        return new MessageBody(sdp.contentType(), (text(sdp) + "a=sendonly\r\n").getBytes(StandardCharsets.US_ASCII));
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
