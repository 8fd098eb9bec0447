package io.tandem.softswitch.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.cdr.CdrMediaStats;
import io.tandem.routing.Gateway;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.call.CallRejection;
import io.tandem.softswitch.call.CallRejections;
import io.tandem.softswitch.call.MessageBody;
import io.tandem.softswitch.media.sdp.SessionDescription;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay on real loopback sockets: a customer behind a fake NAT (its SDP says 10.0.0.5, its
 * packets come from 127.0.0.7), a vendor on 127.0.0.1, a stranger on 127.0.0.9.
 */
class RelayedCallTest {

    private MediaRelay relay;
    private final CompletableFuture<CallFacts> timedOut = new CompletableFuture<>();
    private final CompletableFuture<MediaStats> ended = new CompletableFuture<>();
    private final RelayedCall.Listener listener = new RelayedCall.Listener() {
        @Override
        public void mediaTimedOut(CallFacts call) {
            timedOut.complete(call);
        }

        @Override
        public void mediaEnded(CallFacts call, MediaStats stats) {
            ended.complete(stats);
        }
    };

    @BeforeEach
    void start() {
        int base = 2 * ThreadLocalRandom.current().nextInt(20_000, 29_000); // an even port in 40000–57998
        relay = new MediaRelay(new MediaRelayConfig("127.0.0.1", "127.0.0.1", base, base + 19, 1, Duration.ofSeconds(1),
                Duration.ofSeconds(3), Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void audioFlowsBothWaysThroughTheRelayLatchedBehindNatAndAHijackerIsIgnored() throws Exception {
        RelayedCall call = new RelayedCall(relay, facts(), listener);
        try (DatagramSocket customer = socket("127.0.0.7"); DatagramSocket vendor = socket("127.0.0.1");
             DatagramSocket stranger = socket("127.0.0.9")) {
            String offer = new String(call.towardVendor(sdp("10.0.0.5", 4000)).content(), StandardCharsets.UTF_8);
            String answer = new String(call.towardCustomer(sdp("127.0.0.1", vendor.getLocalPort())).content(), StandardCharsets.UTF_8);
            assertThat(offer).doesNotContain("10.0.0.5").contains("c=IN IP4 127.0.0.1");
            int towardVendorPort = SessionDescription.parse(offer).media().getFirst().port();
            int towardCustomerPort = SessionDescription.parse(answer).media().getFirst().port();
            assertThat(towardVendorPort).isNotEqualTo(towardCustomerPort);
            InetSocketAddress relayForCustomer = new InetSocketAddress("127.0.0.1", towardCustomerPort);
            InetSocketAddress relayForVendor = new InetSocketAddress("127.0.0.1", towardVendorPort);
            awaitBound(relayForCustomer, relayForVendor);

            int customerSent = 0;
            for (int i = 0; i < 50; i++) {
                customer.send(rtp(0x1111, 1000 + i, 160L * i, "customer", relayForCustomer));
                customerSent++;
                stranger.send(rtp(0x2222, 5000 + i, 160L * i, "hijacker", relayForCustomer));
                Thread.sleep(2);
            }
            int atVendor = 0;
            for (DatagramPacket p; (p = receive(vendor)) != null; ) {
                assertThat(payload(p)).isEqualTo("customer");
                assertThat(p.getSocketAddress()).isEqualTo(relayForVendor); // symmetric: from the port the vendor sends to
                atVendor++;
            }
            // the customer's first two packets are its probation before the latch
            assertThat(atVendor).isEqualTo(customerSent - 2);
            // the vendor answers once the customer is latched (what it sent before would go to the SDP address
            // 10.0.0.5, how much of it depending on scheduling): all of it reaches the customer behind its NAT
            int vendorSent = 0;
            for (int i = 0; i < 50; i++) {
                vendor.send(rtp(0x3333, 7000 + i, 160L * i, "vendor", relayForVendor));
                vendorSent++;
                Thread.sleep(2);
            }
            int atCustomer = 0;
            for (DatagramPacket p; (p = receive(customer)) != null; ) {
                assertThat(payload(p)).isEqualTo("vendor");
                assertThat(p.getSocketAddress()).isEqualTo(relayForCustomer);
                atCustomer++;
            }
            assertThat(atCustomer).isEqualTo(vendorSent);
            // the hijacker's packets are counted only while the socket is not connected yet (queued before the latch);
            // once connected the kernel drops them (aNatRebindingAfterSilence… pins that)
            assertThat(relay.counters().hijackDropped()).isLessThanOrEqualTo(48);
        }
        call.close();
        MediaStats stats = ended.get(2, TimeUnit.SECONDS);
        assertThat(stats.fromCustomer().packets()).isEqualTo(48);
        assertThat(stats.fromCustomer().lost()).isZero();
        assertThat(stats.fromVendor().packets()).isEqualTo(50);
        assertThat(stats.fromVendor().octets()).isEqualTo(50 * (12 + 6));
        assertThat(relay.activeSessions()).isZero();
        assertThat(relay.freePortPairs()).isEqualTo(relay.portPairs());
    }

    @Test
    void aLateOfferCallOnARelayTrunkIsAnchoredOnTheVendorsOfferAndTheCustomersAnswerAndAudioFlowsBothWays() throws Exception {
        var media = new TrunkMediaAnchors(relay, listener).open(new CallFacts(UUID.randomUUID(), "late", trunk(MediaMode.RELAY),
                new InetSocketAddress("127.0.0.7", 5060), "a", "b", Instant.now(), 0), null);
        media.vendorChosen(gateway("bypass"), new InetSocketAddress("127.0.0.1", 5060));
        try (DatagramSocket customer = socket("127.0.0.7"); DatagramSocket vendor = socket("127.0.0.1")) {
            assertThat(media.towardVendor(null)).as("the INVITE without SDP").isNull();
            // the vendor's offer in its 200, as the customer gets it; the customer's answer in its ACK, as the vendor gets it
            String offer = new String(media.towardCustomer(sdp("127.0.0.1", vendor.getLocalPort())).content(), StandardCharsets.UTF_8);
            assertThat(media.refusal()).isNull();
            String answer = new String(media.towardVendor(sdp("10.0.0.5", 4000)).content(), StandardCharsets.UTF_8);
            assertThat(offer).contains("c=IN IP4 127.0.0.1").contains("o=tandem").doesNotContain("m=audio " + vendor.getLocalPort());
            assertThat(answer).contains("c=IN IP4 127.0.0.1").doesNotContain("10.0.0.5");
            assertThat(relay.activeSessions()).isEqualTo(1);
            InetSocketAddress relayForCustomer = new InetSocketAddress("127.0.0.1", SessionDescription.parse(offer).media().getFirst().port());
            InetSocketAddress relayForVendor = new InetSocketAddress("127.0.0.1", SessionDescription.parse(answer).media().getFirst().port());
            awaitBound(relayForCustomer, relayForVendor);

            for (int i = 0; i < 20; i++) {
                customer.send(rtp(0x1111, 1000 + i, 160L * i, "customer", relayForCustomer));
                Thread.sleep(2);
            }
            for (int i = 0; i < 20; i++) {
                vendor.send(rtp(0x3333, 7000 + i, 160L * i, "vendor", relayForVendor));
            }
            int atVendor = 0;
            int atCustomer = 0;
            for (DatagramPacket p; (p = receive(vendor)) != null; ) {
                assertThat(payload(p)).isEqualTo("customer");
                atVendor++;
            }
            for (DatagramPacket p; (p = receive(customer)) != null; ) {
                assertThat(payload(p)).isEqualTo("vendor");
                atCustomer++;
            }
            // behind the fake NAT the customer's first two packets are its probation; the vendor's all reach it once latched
            assertThat(atVendor).isEqualTo(18);
            assertThat(atCustomer).isEqualTo(20);
        }
        media.close();
        assertThat(ended.get(2, TimeUnit.SECONDS).fromVendor().packets()).isEqualTo(20);
        assertThat(relay.activeSessions()).isZero();
    }

    @Test
    void aLateOfferCallIsAnchoredWhenTheGatewayAsksAndLeftAloneWhenNoSideAsks() throws Exception {
        var media = new TrunkMediaAnchors(relay, listener).open(new CallFacts(UUID.randomUUID(), "late", trunk(MediaMode.BYPASS),
                new InetSocketAddress("203.0.113.7", 5060), "a", "b", Instant.now(), 0), null);
        InetSocketAddress publicGateway = new InetSocketAddress("198.51.100.1", 5060);
        media.vendorChosen(gateway("bypass"), publicGateway);
        media.towardVendor(null);
        MessageBody vendorOffer = sdp("198.51.100.1", 5000);
        assertThat(media.towardCustomer(vendorOffer)).as("neither side asks").isSameAs(vendorOffer);
        MessageBody customerAnswer = sdp("203.0.113.7", 4000);
        assertThat(media.towardVendor(customerAnswer)).isSameAs(customerAnswer);
        assertThat(relay.activeSessions()).isZero();

        media.vendorChosen(gateway("relay"), publicGateway); // the next attempt's gateway asks
        media.towardVendor(null);
        assertThat(new String(media.towardCustomer(vendorOffer).content(), StandardCharsets.UTF_8)).contains("c=IN IP4 127.0.0.1")
                .doesNotContain("198.51.100.1");
        assertThat(new String(media.towardVendor(customerAnswer).content(), StandardCharsets.UTF_8)).contains("c=IN IP4 127.0.0.1")
                .doesNotContain("203.0.113.7");
        assertThat(relay.activeSessions()).isEqualTo(1);

        MessageBody garbage = new MessageBody("application/sdp", "v=0\r\nnot sdp\r\n".getBytes(StandardCharsets.US_ASCII));
        var auto = new TrunkMediaAnchors(relay, listener).open(new CallFacts(UUID.randomUUID(), "late-auto", trunk(MediaMode.AUTO),
                new InetSocketAddress("203.0.113.7", 5060), "a", "b", Instant.now(), 0), null);
        auto.vendorChosen(gateway("bypass"), publicGateway);
        auto.towardVendor(null);
        auto.towardCustomer(garbage);
        assertThat(auto.refusal()).as("an auto trunk cannot vouch for a customer whose SDP it has not seen: the vendor's offer "
                + "that cannot be anchored ends the attempt").isInstanceOf(CallRejection.MediaNotAcceptable.class);
        media.close();
        auto.close();
        media.closed().toCompletableFuture().get(2, TimeUnit.SECONDS);
        auto.closed().toCompletableFuture().get(2, TimeUnit.SECONDS);
        assertThat(relay.activeSessions()).isZero();
    }

    @Test
    void aNatRebindingAfterSilenceIsFollowedOnTheConnectedSocketAndAHijackerStaysUnheard() throws Exception {
        RelayedCall call = new RelayedCall(relay, facts(), listener);
        try (DatagramSocket customer = socket("127.0.0.7"); DatagramSocket rebound = socket("127.0.0.7");
             DatagramSocket vendor = socket("127.0.0.1"); DatagramSocket stranger = socket("127.0.0.9")) {
            String offer = new String(call.towardVendor(sdp("10.0.0.5", 4000)).content(), StandardCharsets.UTF_8);
            String answer = new String(call.towardCustomer(sdp("127.0.0.1", vendor.getLocalPort())).content(), StandardCharsets.UTF_8);
            InetSocketAddress relayForCustomer = new InetSocketAddress("127.0.0.1", SessionDescription.parse(answer).media().getFirst().port());
            InetSocketAddress relayForVendor = new InetSocketAddress("127.0.0.1", SessionDescription.parse(offer).media().getFirst().port());
            awaitBound(relayForCustomer, relayForVendor);
            int sequence = 1000;

            // the customer talks from behind its NAT: latched after its probation, and the socket connected to it
            for (int i = 0; i < 20; i++) {
                customer.send(rtp(0x1111, sequence++, 160L * i, "customer", relayForCustomer));
                Thread.sleep(2);
            }
            assertThat(payloads(vendor)).hasSize(18).containsOnly("customer");

            // a stranger sends a perfect stream of its own while the customer talks: the kernel drops it
            for (int i = 0; i < 20; i++) {
                customer.send(rtp(0x1111, sequence++, 160L * (20 + i), "customer", relayForCustomer));
                stranger.send(rtp(0x2222, 5000 + i, 160L * i, "hijacker", relayForCustomer));
                Thread.sleep(2);
            }
            assertThat(payloads(vendor)).hasSize(20).containsOnly("customer");
            assertThat(relay.counters().hijackDropped()).as("dropped by the kernel, never seen by the relay").isZero();

            // silence; then the NAT maps the customer's stream to another port (same SSRC, its sequence goes on)
            Thread.sleep(RelayPort.SILENCE_BEFORE_DISCONNECT_MILLIS + 2 * RelayPort.SILENCE_CHECK_MILLIS);
            for (int i = 0; i < 20; i++) {
                rebound.send(rtp(0x1111, sequence++, 160L * (60 + i), "rebound", relayForCustomer));
                Thread.sleep(2);
            }
            assertThat(payloads(vendor)).as("audio flows again, from the new port").hasSize(20).containsOnly("rebound");
            for (int i = 0; i < 20; i++) {
                vendor.send(rtp(0x3333, 7000 + i, 160L * i, "vendor", relayForVendor));
                Thread.sleep(2);
            }
            assertThat(payloads(rebound)).as("and back to where it now comes from").hasSize(20).containsOnly("vendor");
            assertThat(receive(customer)).isNull();

            // the stranger again, on the socket now connected to the new port
            for (int i = 0; i < 20; i++) {
                stranger.send(rtp(0x2222, 5020 + i, 160L * (20 + i), "hijacker", relayForCustomer));
                rebound.send(rtp(0x1111, sequence++, 160L * (80 + i), "rebound", relayForCustomer));
                Thread.sleep(2);
            }
            assertThat(payloads(vendor)).hasSize(20).containsOnly("rebound");
        }
        call.close();
        MediaStats stats = ended.get(2, TimeUnit.SECONDS);
        assertThat(stats.fromCustomer().packets()).isEqualTo(78);
        assertThat(stats.fromCustomer().lost()).as("no gap in the customer's sequence").isZero();
    }

    @Test
    void aBurstQueuedOnOnePortIsRelayedWholeAndInOrder() throws Exception {
        // The relay reads one datagram per wake-up of a port; what else the socket holds must still come out
        // (epoll reports the port again), not wait for the stream's next packet.
        RelayedCall call = new RelayedCall(relay, facts(), listener);
        try (DatagramSocket customer = socket("127.0.0.7"); DatagramSocket vendor = socket("127.0.0.1")) {
            String offer = new String(call.towardVendor(sdp("127.0.0.7", customer.getLocalPort())).content(),
                    StandardCharsets.UTF_8);
            call.towardCustomer(sdp("127.0.0.1", vendor.getLocalPort()));
            InetSocketAddress relayForVendor = new InetSocketAddress("127.0.0.1",
                    SessionDescription.parse(offer).media().getFirst().port());
            awaitBound(relayForVendor);
            int burst = 100;
            for (int i = 0; i < burst; i++) {
                vendor.send(rtp(0x3333, 7000 + i, 160L * i, "v" + i, relayForVendor));
            }
            for (int i = 0; i < burst; i++) {
                DatagramPacket p = receive(customer);
                assertThat(p).as("packet %d of the burst", i).isNotNull();
                assertThat(payload(p)).isEqualTo("v" + i);
            }
            assertThat(receive(customer)).isNull();
            assertThat(relay.counters().relayed()).isEqualTo(burst);
        }
        call.close();
        assertThat(ended.get(2, TimeUnit.SECONDS).fromVendor().packets()).isEqualTo(100);
    }

    @Test
    void aRelayBoundOnTheWildcardAddressRelaysBothWaysAndLatches() throws Exception {
        // 0.0.0.0 (a container's usual setting) keeps the default dual-stack socket: IPv4 peers through mapped addresses
        int base = 2 * ThreadLocalRandom.current().nextInt(20_000, 29_000);
        try (MediaRelay wildcard = new MediaRelay(new MediaRelayConfig("0.0.0.0", "127.0.0.1", base, base + 3, 1,
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2)))) {
            RelayedCall call = new RelayedCall(wildcard, facts(), listener);
            try (DatagramSocket customer = socket("127.0.0.7"); DatagramSocket vendor = socket("127.0.0.1")) {
                String offer = new String(call.towardVendor(sdp("10.0.0.5", 4000)).content(), StandardCharsets.UTF_8);
                String answer = new String(call.towardCustomer(sdp("127.0.0.1", vendor.getLocalPort())).content(),
                        StandardCharsets.UTF_8);
                InetSocketAddress relayForCustomer = new InetSocketAddress("127.0.0.1",
                        SessionDescription.parse(answer).media().getFirst().port());
                InetSocketAddress relayForVendor = new InetSocketAddress("127.0.0.1",
                        SessionDescription.parse(offer).media().getFirst().port());
                awaitBound(relayForCustomer, relayForVendor);
                for (int i = 0; i < 10; i++) {
                    customer.send(rtp(0x1111, 1000 + i, 160L * i, "customer", relayForCustomer));
                    Thread.sleep(2);
                }
                assertThat(payloads(vendor)).as("after the customer's probation behind its NAT").hasSize(8)
                        .containsOnly("customer");
                for (int i = 0; i < 10; i++) {
                    vendor.send(rtp(0x3333, 7000 + i, 160L * i, "vendor", relayForVendor));
                    Thread.sleep(2);
                }
                assertThat(payloads(customer)).as("back to where the customer's packets came from").hasSize(10)
                        .containsOnly("vendor");
            }
            call.close();
        }
    }

    @Test
    void silenceAfterAnswerEndsTheCallOnceAsMediaTimeout() throws Exception {
        RelayedCall call = new RelayedCall(relay, facts(), listener);
        call.towardVendor(sdp("127.0.0.7", 4000));
        call.towardCustomer(sdp("127.0.0.1", 4002));
        long start = System.nanoTime();
        call.answered();
        CallFacts facts = timedOut.get(4, TimeUnit.SECONDS);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(facts).isNotNull();
        assertThat(tookMillis).isBetween(1000L, 2500L);
        assertThat(relay.counters().timeouts()).isEqualTo(1);
        call.close();
    }

    @Test
    void aBypassTrunkLeavesTheBodyUntouched() {
        TrunkMediaAnchors anchors = new TrunkMediaAnchors(relay, listener);
        MessageBody body = sdp("10.0.0.5", 4000);
        var trunk = new io.tandem.routing.provisioning.TrunkAccess(1, 1, "t", true, java.util.List.of(), java.util.List.of(), "active",
                true, null, null, null, null, null, true, io.tandem.routing.provisioning.MediaMode.BYPASS);
        var media = anchors.open(new CallFacts(UUID.randomUUID(), "c", trunk, null, "a", "b", Instant.now(), 0), null);
        assertThat(media.towardVendor(body)).isSameAs(body);
        assertThat(relay.activeSessions()).isZero();
    }

    @Test
    void autoAnchorsOnlyWhenTheOfferNamesAPrivateAddressOrNotItsSignallingSource() throws Exception {
        InetSocketAddress from = new InetSocketAddress("203.0.113.7", 5060);
        assertThat(RelayedCall.needsAnchoring(SessionDescription.parse(sdp("203.0.113.7", 4000).content()), from)).isFalse();
        assertThat(RelayedCall.needsAnchoring(SessionDescription.parse(sdp("10.0.0.5", 4000).content()), from)).isTrue();
        assertThat(RelayedCall.needsAnchoring(SessionDescription.parse(sdp("100.64.1.2", 4000).content()), from)).isTrue();
        assertThat(RelayedCall.needsAnchoring(SessionDescription.parse(sdp("198.51.100.1", 4000).content()), from)).isTrue();

        RelayedCall publicPhone = new RelayedCall(relay, new CallFacts(UUID.randomUUID(), "c", null, from, "a", "b", Instant.now(), 0),
                listener, true);
        MessageBody offer = sdp("203.0.113.7", 4000);
        assertThat(publicPhone.towardVendor(offer)).isSameAs(offer);
        MessageBody answer = sdp("198.51.100.1", 5000);
        assertThat(publicPhone.towardCustomer(answer)).isSameAs(answer);
        assertThat(relay.activeSessions()).isZero();
        publicPhone.close();
        assertThat(relay.activeSessions()).isZero();
    }

    @Test
    void aBypassTrunksCallIsAnchoredWhenItsGatewayAsksAndItsCdrFiguresComeWithClose() throws Exception {
        TrunkMediaAnchors anchors = new TrunkMediaAnchors(relay, listener);
        var media = anchors.open(new CallFacts(UUID.randomUUID(), "c", trunk(MediaMode.BYPASS), new InetSocketAddress("203.0.113.7", 5060),
                "a", "b", Instant.now(), 0), null);
        InetSocketAddress publicGateway = new InetSocketAddress("198.51.100.1", 5060);

        media.vendorChosen(gateway("bypass"), publicGateway);
        MessageBody offer = sdp("203.0.113.7", 4000);
        assertThat(media.towardVendor(offer)).as("neither side asks").isSameAs(offer);
        media.vendorChosen(gateway("auto"), publicGateway);
        assertThat(media.towardVendor(offer)).as("auto gateway on a public address").isSameAs(offer);
        assertThat(relay.activeSessions()).isZero();

        media.vendorChosen(gateway("auto"), new InetSocketAddress("10.1.2.3", 5060)); // a private interconnect
        String anchored = new String(media.towardVendor(offer).content(), StandardCharsets.UTF_8);
        assertThat(anchored).contains("c=IN IP4 127.0.0.1").doesNotContain("203.0.113.7");
        assertThat(media.refusal()).isNull();
        assertThat(relay.activeSessions()).isEqualTo(1);

        media.vendorChosen(gateway("bypass"), publicGateway); // failover: once anchored, the call stays anchored
        assertThat(new String(media.towardVendor(offer).content(), StandardCharsets.UTF_8)).contains("c=IN IP4 127.0.0.1");
        media.close();
        CdrMediaStats figures = media.closed().toCompletableFuture().get(2, TimeUnit.SECONDS);
        assertThat(figures).isEqualTo(new CdrMediaStats(CdrMediaStats.Direction.NONE, CdrMediaStats.Direction.NONE));
        assertThat(relay.activeSessions()).isZero();
    }

    @Test
    void aCallNeverAnchoredReportsNoFigures() throws Exception {
        var media = new TrunkMediaAnchors(relay, listener).open(new CallFacts(UUID.randomUUID(), "c", trunk(MediaMode.BYPASS), null,
                "a", "b", Instant.now(), 0), null);
        media.vendorChosen(gateway("bypass"), new InetSocketAddress("198.51.100.1", 5060));
        media.towardVendor(sdp("203.0.113.7", 4000));
        media.close();
        assertThat(media.closed().toCompletableFuture().get(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void anOfferThatCannotBeAnchoredIsRefusedWith488WhenTheCallMustBeAnchoredAndPassesWhenNot() {
        MessageBody garbage = new MessageBody("application/sdp", "v=0\r\nthis is not sdp\r\n".getBytes(StandardCharsets.US_ASCII));
        RelayedCall mustAnchor = new RelayedCall(relay, facts(), listener, MediaMode.RELAY);
        mustAnchor.towardVendor(garbage);
        assertThat(mustAnchor.refusal()).isInstanceOf(CallRejection.MediaNotAcceptable.class);
        assertThat(CallRejections.toSip(mustAnchor.refusal()).status()).isEqualTo(488);
        assertThat(CallRejections.toSip(mustAnchor.refusal()).text()).contains("not <type>=<value>");
        mustAnchor.close();

        StringBuilder tooMany = new StringBuilder("v=0\r\no=x 1 1 IN IP4 127.0.0.7\r\ns=-\r\nc=IN IP4 127.0.0.7\r\nt=0 0\r\n");
        for (int i = 0; i <= SessionDescription.MAX_MEDIA; i++) {
            tooMany.append("m=audio ").append(4000 + 2 * i).append(" RTP/AVP 0\r\n");
        }
        RelayedCall overLimits = new RelayedCall(relay, facts(), listener, MediaMode.RELAY);
        overLimits.towardVendor(new MessageBody("application/sdp", tooMany.toString().getBytes(StandardCharsets.US_ASCII)));
        assertThat(overLimits.refusal()).isEqualTo(new CallRejection.MediaNotAcceptable("SDP has more than 16 m= lines"));
        overLimits.close();

        RelayedCall bypass = new RelayedCall(relay, facts(), listener, MediaMode.BYPASS);
        bypass.vendorChosen(gateway("bypass"), new InetSocketAddress("198.51.100.1", 5060));
        assertThat(bypass.towardVendor(garbage)).isSameAs(garbage);
        assertThat(bypass.refusal()).isNull();
        bypass.close();
        mustAnchor.closed().toCompletableFuture().join();
        overLimits.closed().toCompletableFuture().join();
        assertThat(relay.activeSessions()).isZero();
    }

    @Test
    void anOfferFindingNoFreePortPairIsRefusedWith503() {
        // the range holds 10 pairs; each anchored stream takes two
        java.util.List<RelayedCall> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RelayedCall call = new RelayedCall(relay, facts(), listener, MediaMode.RELAY);
            call.towardVendor(sdp("127.0.0.7", 4000 + 2 * i));
            assertThat(call.refusal()).isNull();
            calls.add(call);
        }
        RelayedCall oneTooMany = new RelayedCall(relay, facts(), listener, MediaMode.RELAY);
        oneTooMany.towardVendor(sdp("127.0.0.7", 5000));
        assertThat(oneTooMany.refusal()).isEqualTo(new CallRejection.NoMediaPorts());
        assertThat(CallRejections.toSip(oneTooMany.refusal()).status()).isEqualTo(503);
        oneTooMany.close();
        calls.forEach(RelayedCall::close);
        oneTooMany.closed().toCompletableFuture().join();
        calls.forEach(call -> call.closed().toCompletableFuture().join());
        assertThat(relay.freePortPairs()).as("every pair back, the refused call's too").isEqualTo(relay.portPairs());
    }

    private static io.tandem.routing.provisioning.TrunkAccess trunk(MediaMode mode) {
        return new io.tandem.routing.provisioning.TrunkAccess(1, 1, "t", true, java.util.List.of(), java.util.List.of(), "active",
                true, null, null, null, null, null, true, mode);
    }

    private static Gateway gateway(String mediaMode) {
        return new Gateway(7, 2, "gw", "vendor.example", 5060, "udp", "", 1, 100, true, null, null, null, null, null, mediaMode);
    }

    private static CallFacts facts() {
        return new CallFacts(UUID.randomUUID(), "call-1", null, new InetSocketAddress("127.0.0.7", 5060), "a", "b", Instant.now(), 0);
    }

    private static MessageBody sdp(String address, int port) {
        String text = "v=0\r\no=x 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return new MessageBody("application/sdp", text.getBytes(StandardCharsets.US_ASCII));
    }

    private static DatagramSocket socket(String address) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, 0));
        s.setSoTimeout(300);
        return s;
    }

    private static DatagramPacket rtp(int ssrc, int sequence, long timestamp, String payload, InetSocketAddress to) {
        byte[] p = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(12 + p.length);
        b.put((byte) 0x80).put((byte) 0).putShort((short) sequence).putInt((int) timestamp).putInt(ssrc).put(p);
        return new DatagramPacket(b.array(), b.capacity(), to);
    }

    private static DatagramPacket receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        try {
            s.receive(p);
            return p;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /**
     * The relay binds its sockets asynchronously on the media loop (a cold JVM on a loaded machine can take longer
     * than any fixed pause): waits until the kernel lists each port as a bound UDP socket ({@code /proc/net/udp};
     * trying to bind it ourselves could take it from the relay).
     */
    private static java.util.List<String> readLines(String file) {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of(file));
        } catch (java.io.IOException e) {
            return java.util.List.of(); // no IPv6 on this host
        }
    }

    private static void awaitBound(InetSocketAddress... relayPorts) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (InetSocketAddress port : relayPorts) {
            String local = String.format(":%04X", port.getPort()); // as in "0100007F:C14C"
            // an IPv4 socket is listed in /proc/net/udp, a dual-stack one (wildcard bind) in /proc/net/udp6
            while (java.util.stream.Stream.of("/proc/net/udp", "/proc/net/udp6")
                    .flatMap(file -> readLines(file).stream())
                    .noneMatch(line -> line.trim().split("\\s+")[1].endsWith(local))) {
                assertThat(System.nanoTime()).as("relay port %s bound in time", port).isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

    /** The payloads of every datagram the socket receives until it has been quiet for its timeout. */
    private static java.util.List<String> payloads(DatagramSocket s) throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (DatagramPacket p; (p = receive(s)) != null; ) {
            out.add(payload(p));
        }
        return out;
    }

    private static String payload(DatagramPacket p) {
        return new String(p.getData(), 12, p.getLength() - 12, StandardCharsets.US_ASCII);
    }
}
