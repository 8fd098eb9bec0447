package io.tandem.softswitch.registrar;

import static io.tandem.softswitch.registrar.ThreeNodeRegistrarTest.ask;
import static io.tandem.softswitch.registrar.ThreeNodeRegistrarTest.await;
import static io.tandem.softswitch.registrar.ThreeNodeRegistrarTest.credentials;
import static io.tandem.softswitch.registrar.ThreeNodeRegistrarTest.freeUdpPort;
import static io.tandem.softswitch.registrar.ThreeNodeRegistrarTest.md5Hex;
import static io.tandem.softswitch.registrar.ThreeNodeRegistrarTest.param;
import static io.tandem.softswitch.registrar.ThreeNodeRegistrarTest.register;
import static io.tandem.softswitch.registrar.ThreeNodeRegistrarTest.sha256Hex;
import static io.tandem.softswitch.registrar.ThreeNodeRegistrarTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.authorization.Authorization;
import io.tandem.billing.authorization.CallAuthorizer;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.settlement.HoldSource;
import io.tandem.routing.DeckDirection;
import io.tandem.routing.Gateway;
import io.tandem.routing.RouteTable;
import io.tandem.routing.RoutingProfile;
import io.tandem.routing.RoutingRule;
import io.tandem.routing.Strategy;
import io.tandem.routing.Trunk;
import io.tandem.routing.Vendor;
import io.tandem.routing.normalize.NumberNormalizer;
import io.tandem.routing.provisioning.AssertedIdentity;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.routing.provisioning.TrunkAccess;
import io.tandem.softswitch.call.CallClock;
import io.tandem.softswitch.call.CallEngine;
import io.tandem.softswitch.call.CallEngineSettings;
import io.tandem.softswitch.call.CallRouting;
import io.tandem.softswitch.call.DigestFailureBans;
import io.tandem.softswitch.call.DigestGuessLimits;
import io.tandem.softswitch.call.MediaAnchor;
import io.tandem.softswitch.call.RegisteredTargets;
import io.tandem.softswitch.call.admission.AdmissionControl;
import io.tandem.softswitch.call.identify.CustomerSource;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.call.identify.TrunkIdentification;
import io.tandem.softswitch.call.quality.QualityStats;
import io.tandem.softswitch.call.quality.VendorBreakers;
import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.SipStackConfig;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.testing.SipTestClient;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls to and from a registered contact across three real nodes (SIP stack, call engine, registrar,
 * cluster sync) on loopback, as docs/registrations.md describes. Account 5 is of kind both: its trunk 41
 * ("pbx-trunk", digest user alice) registers from 127.0.0.1, and its vendor gateway reaches that
 * registered contact. A carrier on trunk 7 (127.0.0.2/32) calls 1555... which only account 5 takes.
 *
 * <p>The phone registers on node 1; the carrier calls through node 2, whose INVITE goes through node 1 (the
 * holder of the flow) to the phone, and the call is answered and hung up end to end. The phone calls
 * through node 2 too and is identified as its trunk. Unregistered, the carrier's call gets 480 and the
 * phone is a stranger. A relay route with a forged seal reaches nobody.
 */
class RegisteredContactCallTest {

    static final String KEY = ThreeNodeRegistrarTest.KEY;
    static final String REALM = ThreeNodeRegistrarTest.REALM;
    static final long PBX_TRUNK = 41;
    static final long PBX_ACCOUNT = 5;
    static final long CARRIER_TRUNK = 7;
    static final long CARRIER_ACCOUNT = 9;
    static final String CARRIER_ADDRESS = "127.0.0.2";
    static final String CALLED = "15551234";

    static final List<ThreeNodeRegistrarTest.Node> NODES = new ArrayList<>();
    static final ExecutorService BILLING = Executors.newVirtualThreadPerTaskExecutor();
    /** Every CDR the nodes settled. */
    static final java.util.Queue<CdrRecord> SETTLED = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** The nodes' TLS key (self-signed, made on the first node's start and shared). */
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path tlsData;

    @BeforeAll
    static void startThreeNodes() {
        int[] ports = {freeUdpPort(), freeUdpPort(), freeUdpPort()};
        RouteTable table = routes();
        for (int i = 0; i < 3; i++) {
            List<ClusterSync.Peer> peers = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    peers.add(new ClusterSync.Peer("node-" + (j + 1), "127.0.0.1", ports[j]));
                }
            }
            NODES.add(start("node-" + (i + 1), ports[i], peers, table));
        }
    }

    @AfterAll
    static void stopThem() {
        NODES.forEach(node -> node.stack().close());
        BILLING.shutdownNow();
    }

    @Test
    void aCallToTheRegisteredAccountReachesThePhoneThroughTheNodeHoldingItsFlow() throws Exception {
        ThreeNodeRegistrarTest.Node one = NODES.get(0);
        ThreeNodeRegistrarTest.Node two = NODES.get(1);
        try (SipTestClient phone = SipTestClient.udp(one.address());
             SipTestClient carrier = SipTestClient.udp(two.address(), CARRIER_ADDRESS)) {
            String registration = UUID.randomUUID() + "@phone";
            String contact = "<sip:alice@127.0.0.1:" + phone.localPort() + ">";
            String nonce = challenge(phone, one, registration);
            assertThat(status(ask(phone, register(one, phone, registration, 2, contact, "600", credentials(one, nonce, 1)), 3000)))
                    .isEqualTo(200);
            await("every node can reach the phone", () -> NODES.stream().allMatch(n -> n.registrar().targetOf(PBX_TRUNK).isPresent()));

            // the carrier calls through node 2; node 1 holds the phone's flow
            String callId = UUID.randomUUID() + "@carrier";
            carrier.send(invite(two, carrier, callId));
            SipRequest atPhone = nextRequest(phone, SipRequest.INVITE, 5000);
            assertThat(atPhone.requestUri().user()).as("the called number in the contact's URI").isEqualTo(CALLED);
            assertThat(atPhone.requestUri().port()).isEqualTo(phone.localPort());
            assertThat(phone.lastSource().getPort()).as("sent from the socket the phone registered with").isEqualTo(one.port());
            assertThat(atPhone.headers().all(HeaderName.ROUTE)).as("the relay's route is used up").isEmpty();
            assertThat(atPhone.recordRoutes()).as("RFC 5658: one entry facing the phone, one facing node 2").hasSize(2);
            assertThat(atPhone.vias()).hasSize(2);

            phone.send(answer(atPhone, 180, "Ringing", "ph1"));
            phone.send(answer(atPhone, 200, "OK", "ph1"));
            SipResponse answered = nextResponse(carrier, 200, 5000);
            assertThat(answered.cseq().method()).isEqualTo(SipRequest.INVITE);

            carrier.send(inDialog("ACK", answered, carrier, 1));
            assertThat(nextRequest(phone, SipRequest.ACK, 5000).callId()).isEqualTo(atPhone.callId());

            carrier.send(inDialog("BYE", answered, carrier, 2));
            SipRequest bye = nextRequest(phone, SipRequest.BYE, 5000);
            assertThat(phone.lastSource().getPort()).isEqualTo(one.port());
            phone.send(answer(bye, 200, "OK", null));
            assertThat(nextResponse(carrier, 200, 5000).cseq().method()).isEqualTo(SipRequest.BYE);

            // the phone's own call, through node 2: identified as its trunk (which routes nowhere in this table)
            try (SipTestClient phoneCalling = SipTestClient.udp(two.address())) {
                phoneCalling.send(invite(two, phoneCalling, UUID.randomUUID() + "@phone"));
                SipResponse refused = nextResponse(phoneCalling, 404, 5000);
                assertThat(refused.header(HeaderName.REASON)).contains("pbx-trunk");
            }

            assertThat(status(ask(phone, register(one, phone, registration, 3, "*", "0", credentials(one, nonce, 2)), 3000))).isEqualTo(200);
            await("no node can reach the phone", () -> NODES.stream().allMatch(n -> n.registrar().targetOf(PBX_TRUNK).isEmpty()));
            carrier.send(invite(two, carrier, UUID.randomUUID() + "@carrier"));
            SipResponse unavailable = nextResponse(carrier, 480, 5000);
            assertThat(unavailable.reasonPhrase()).isEqualTo("Temporarily Unavailable");
            try (SipTestClient stranger = SipTestClient.udp(two.address())) {
                stranger.send(invite(two, stranger, UUID.randomUUID() + "@phone"));
                assertThat(nextResponse(stranger, 407, 5000).status()).as("challenged: no longer its trunk's address").isEqualTo(407);
            }
        }
    }

    @Test
    void aCallerWhoHangsUpWhileThePhoneRingsCancelsItThroughTheHolder() throws Exception {
        ThreeNodeRegistrarTest.Node one = NODES.get(0);
        ThreeNodeRegistrarTest.Node two = NODES.get(1);
        try (SipTestClient phone = SipTestClient.udp(one.address());
             SipTestClient carrier = SipTestClient.udp(two.address(), CARRIER_ADDRESS)) {
            String registration = UUID.randomUUID() + "@phone";
            String nonce = challenge(phone, one, registration);
            assertThat(status(ask(phone, register(one, phone, registration, 2, "<sip:alice@127.0.0.1:" + phone.localPort() + ">", "600",
                    credentials(one, nonce, 1)), 3000))).isEqualTo(200);
            await("node 2 can reach the phone", () -> two.registrar().targetOf(PBX_TRUNK).isPresent());

            String callId = UUID.randomUUID() + "@carrier";
            String invite = invite(two, carrier, callId);
            carrier.send(invite);
            SipRequest atPhone = nextRequest(phone, SipRequest.INVITE, 5000);
            phone.send(answer(atPhone, 180, "Ringing", "ph3"));
            nextResponse(carrier, 180, 5000);

            carrier.send(cancelOf(invite));
            SipRequest cancel = nextRequest(phone, SipRequest.CANCEL, 5000);
            assertThat(cancel.topVia().branch()).as("RFC 3261 §9.1: the CANCEL matches the INVITE it cancels")
                    .isEqualTo(atPhone.topVia().branch());
            phone.send(answer(cancel, 200, "OK", null));
            phone.send(answer(atPhone, 487, "Request Terminated", "ph3"));
            assertThat(nextResponse(carrier, 487, 5000).cseq().method()).isEqualTo(SipRequest.INVITE);
            assertThat(nextRequest(phone, SipRequest.ACK, 5000).topVia().branch()).as("the 487's ACK, hop by hop through the holder")
                    .isEqualTo(atPhone.topVia().branch());

            assertThat(status(ask(phone, register(one, phone, registration, 3, "*", "0", credentials(one, nonce, 2)), 3000))).isEqualTo(200);
            await("unregistered everywhere", () -> NODES.stream().allMatch(n -> n.registrar().targetOf(PBX_TRUNK).isEmpty()));
        }
    }

    @Test
    void theHolderCallsThePhoneDirectlyAndExpiryEndsIt() throws Exception {
        ThreeNodeRegistrarTest.Node three = NODES.get(2);
        try (SipTestClient phone = SipTestClient.udp(three.address());
             SipTestClient carrier = SipTestClient.udp(three.address(), CARRIER_ADDRESS)) {
            String registration = UUID.randomUUID() + "@phone";
            String nonce = challenge(phone, three, registration);
            assertThat(status(ask(phone, register(three, phone, registration, 2, "<sip:alice@127.0.0.1:" + phone.localPort() + ">", "2",
                    credentials(three, nonce, 1)), 3000))).isEqualTo(200);
            await("node 3 holds the flow", () -> three.registrar().targetOf(PBX_TRUNK).map(t -> t.route() == null).orElse(false));

            String callId = UUID.randomUUID() + "@carrier";
            carrier.send(invite(three, carrier, callId));
            SipRequest atPhone = nextRequest(phone, SipRequest.INVITE, 5000);
            assertThat(atPhone.vias()).as("no relay on the way").hasSize(1);
            assertThat(atPhone.recordRoutes()).isEmpty();
            phone.send(answer(atPhone, 486, "Busy Here", "ph2"));
            assertThat(nextResponse(carrier, 486, 5000).status()).isEqualTo(486);

            await("expired on every node after its 2 s", () -> NODES.stream().allMatch(n -> n.registrar().targetOf(PBX_TRUNK).isEmpty()));
            carrier.send(invite(three, carrier, UUID.randomUUID() + "@carrier"));
            assertThat(nextResponse(carrier, 480, 5000).status()).isEqualTo(480);
        }
    }

    @Test
    void aRelayRouteWithAForgedSealReachesNobody() throws Exception {
        ThreeNodeRegistrarTest.Node one = NODES.get(0);
        try (SipTestClient phone = SipTestClient.udp(one.address());
             SipTestClient stranger = SipTestClient.udp(one.address(), "127.0.0.3")) {
            String registration = UUID.randomUUID() + "@phone";
            String nonce = challenge(phone, one, registration);
            assertThat(status(ask(phone, register(one, phone, registration, 2, "<sip:alice@127.0.0.1:" + phone.localPort() + ">", "600",
                    credentials(one, nonce, 1)), 3000))).isEqualTo(200);
            String forged = "<sip:127.0.0.1:" + one.port() + ";lr;" + FlowRelay.FLOW_PARAM + "=127.0.0.1~" + phone.localPort()
                    + "~AAAAAAAAAAAAAAAAAAAAAA>";
            stranger.send(invite(one, stranger, UUID.randomUUID() + "@stranger").replace("Max-Forwards: 70\r\n",
                    "Max-Forwards: 70\r\nRoute: " + forged + "\r\n"));
            assertThat(phone.receive(1000)).as("nothing relayed to the phone").isNull();
            assertThat(stranger.receive(200)).as("and no answer").isNull();
            assertThat(status(ask(phone, register(one, phone, registration, 3, "*", "0", credentials(one, nonce, 2)), 3000))).isEqualTo(200);
            await("unregistered everywhere", () -> NODES.stream().allMatch(n -> n.registrar().targetOf(PBX_TRUNK).isEmpty()));
        }
    }

    @Test
    void aPhoneRegisteredOverTcpIsCalledOnItsOwnConnectionThroughTheHolderUntilItCloses() throws Exception {
        ThreeNodeRegistrarTest.Node one = NODES.get(0);
        ThreeNodeRegistrarTest.Node two = NODES.get(1);
        try (SipTestClient idle = SipTestClient.tcp(tcpAddress(one));
             SipTestClient phone = SipTestClient.tcp(tcpAddress(one));
             SipTestClient carrier = SipTestClient.udp(two.address(), CARRIER_ADDRESS)) {
            String registration = UUID.randomUUID() + "@phone";
            String contact = "<sip:alice@192.168.1.20:5062;transport=tcp>";
            String nonce = param(ask(phone, overTcp(register(one, phone, registration, 1, contact, "600", null)), 3000)
                    .header(HeaderName.WWW_AUTHENTICATE), "nonce");
            assertThat(status(ask(phone, overTcp(register(one, phone, registration, 2, contact, "600", credentials(one, nonce, 1))), 3000)))
                    .isEqualTo(200);
            await("node 2 can reach the phone", () -> two.registrar().targetOf(PBX_TRUNK).isPresent());
            assertThat(idle.closedByServer(5000)).as("a connection no registration holds closes after the idle 2 s").isTrue();

            // past the idle timeout: the registration keeps the phone's connection, and the call comes on it
            String callId = UUID.randomUUID() + "@carrier";
            carrier.send(invite(two, carrier, callId));
            SipRequest atPhone = nextRequest(phone, SipRequest.INVITE, 5000);
            assertThat(atPhone.requestUri().toString()).as("the contact as registered, the called number as its user")
                    .startsWith("sip:" + CALLED + "@192.168.1.20:5062");
            assertThat(atPhone.topVia().transport()).isEqualTo("TCP");
            assertThat(atPhone.vias()).as("relayed by node 1 from node 2").hasSize(2);
            phone.send(answer(atPhone, 200, "OK", "tcp1"));
            SipResponse answered = nextResponse(carrier, 200, 5000);
            carrier.send(inDialog("ACK", answered, carrier, 1));
            assertThat(nextRequest(phone, SipRequest.ACK, 5000).callId()).isEqualTo(atPhone.callId());

            // the phone hangs up on its connection; the answer comes back on it through the holder
            phone.send(byeFromPhone(atPhone, phone, "tcp1"));
            SipResponse byeAnswered = nextResponse(phone, 200, 5000);
            assertThat(byeAnswered.cseq().method()).isEqualTo(SipRequest.BYE);
            assertThat(nextRequest(carrier, SipRequest.BYE, 5000).callId()).isEqualTo(callId);

            // the phone's connection goes: still registered, but calls to it fail over like a 480, with the reason
            phone.close();
            await("node 1 sees the connection closed", () -> one.registrar().targetOf(PBX_TRUNK).map(t -> t.unreachable() != null).orElse(false));
            assertThat(one.registrar().targetOf(PBX_TRUNK).orElseThrow().unreachable()).contains("TCP connection", "is closed");
            long closedBefore = one.registrar().stats().relay().flowClosed();
            carrier.send(invite(two, carrier, UUID.randomUUID() + "@carrier"));
            SipResponse throughTwo = finalResponse(carrier, 5000);
            assertThat(throughTwo.status()).as("the holder's 480, the only vendor gone").isIn(480, 503);
            // Every request to the closed flow counts: the INVITE, and the ACK node 2 sends for the 480 when it has arrived by now.
            assertThat(one.registrar().stats().relay().flowClosed()).isBetween(closedBefore + 1, closedBefore + 2);

            try (SipTestClient carrierAtOne = SipTestClient.udp(one.address(), CARRIER_ADDRESS)) {
                long missedBefore = one.registrar().stats().missedFlowClosed();
                carrierAtOne.send(invite(one, carrierAtOne, UUID.randomUUID() + "@carrier"));
                SipResponse atHolder = finalResponse(carrierAtOne, 5000);
                assertThat(atHolder.status()).isIn(480, 503);
                assertThat(one.registrar().stats().missedFlowClosed()).isEqualTo(missedBefore + 1);
            }
        }
        try (SipTestClient cleanup = SipTestClient.udp(NODES.get(0).address())) {
            String registration = UUID.randomUUID() + "@cleanup";
            String nonce = challenge(cleanup, NODES.get(0), registration);
            assertThat(status(ask(cleanup, register(NODES.get(0), cleanup, registration, 2, "*", "0", credentials(NODES.get(0), nonce, 1)), 3000)))
                    .isEqualTo(200);
            await("unregistered everywhere", () -> NODES.stream().allMatch(n -> n.registrar().targetOf(PBX_TRUNK).isEmpty()));
        }
    }

    @Test
    void aTcpRegistrationThatExpiresLetsItsConnectionClose() throws Exception {
        ThreeNodeRegistrarTest.Node three = NODES.get(2);
        try (SipTestClient phone = SipTestClient.tcp(tcpAddress(three))) {
            String registration = UUID.randomUUID() + "@phone";
            String contact = "<sip:alice@127.0.0.1:" + phone.localPort() + ";transport=tcp>";
            String nonce = param(ask(phone, overTcp(register(three, phone, registration, 1, contact, "5", null)), 3000)
                    .header(HeaderName.WWW_AUTHENTICATE), "nonce");
            assertThat(status(ask(phone, overTcp(register(three, phone, registration, 2, contact, "5", credentials(three, nonce, 1))), 3000)))
                    .isEqualTo(200);
            assertThat(phone.closedByServer(3500)).as("held past the idle 2 s while registered").isFalse();
            assertThat(phone.closedByServer(6000)).as("closed once the binding expired").isTrue();
        }
    }

    /**
     * A phone registered over TCP answers on its connection, then talks in the dialog the way phones do when their
     * connection went or they prefer UDP: an INFO over UDP and a BYE on a new TCP connection, both to the holder's
     * Record-Route. Both are taken as coming from the phone and reach the carrier; their answers reach the phone
     * where it sent from; the call's CDR on node 2 is closed by the callee with the talk time billed.
     */
    @Test
    void aPhoneOnTcpHeardThroughTheRouteFacingItsFlowOnANewConnectionOrOverUdp() throws Exception {
        ThreeNodeRegistrarTest.Node one = NODES.get(0);
        ThreeNodeRegistrarTest.Node two = NODES.get(1);
        try (SipTestClient phone = SipTestClient.tcp(tcpAddress(one));
             SipTestClient carrier = SipTestClient.udp(two.address(), CARRIER_ADDRESS)) {
            registerOn(one, phone, "<sip:alice@127.0.0.1:" + phone.localPort() + ";transport=tcp>");
            await("node 2 can reach the phone", () -> two.registrar().targetOf(PBX_TRUNK).isPresent());
            long refusedBefore = one.registrar().stats().relay().refusedNotFromFlow();

            String callId = UUID.randomUUID() + "@carrier";
            carrier.send(invite(two, carrier, callId));
            SipRequest atPhone = nextRequest(phone, SipRequest.INVITE, 5000);
            assertThat(atPhone.recordRoutes()).hasSize(2);
            io.tandem.softswitch.sip.message.SipUri facingPhone = atPhone.recordRoutes().getFirst().uri();
            assertThat(facingPhone.params().get("transport")).as("the phone's first route names its transport").isEqualTo("tcp");
            assertThat(facingPhone.port()).as("and the holder's TCP listener").isEqualTo(tcpAddress(one).getPort());
            assertThat(facingPhone.params().has("lr")).isTrue();
            io.tandem.softswitch.sip.message.SipUri facingNodeTwo = atPhone.recordRoutes().getLast().uri();
            assertThat(facingNodeTwo.port()).as("node 2 reaches the holder over UDP").isEqualTo(one.port());
            assertThat(facingNodeTwo.params().has("transport")).isFalse();

            phone.send(answer(atPhone, 200, "OK", "tcp2"));
            SipResponse answered = nextResponse(carrier, 200, 5000);
            long answeredAt = System.nanoTime();
            carrier.send(inDialog("ACK", answered, carrier, 1));
            assertThat(nextRequest(phone, SipRequest.ACK, 5000).callId()).isEqualTo(atPhone.callId());

            try (SipTestClient phoneOverUdp = SipTestClient.udp(one.address())) {
                phoneOverUdp.send(fromPhone("INFO", atPhone, phoneOverUdp, "tcp2", 2));
                SipRequest info = nextRequest(carrier, "INFO", 5000);
                assertThat(info.callId()).as("relayed towards the caller, not back to the phone").isEqualTo(callId);
                carrier.send(answer(info, 200, "OK", null));
                assertThat(nextResponse(phoneOverUdp, 200, 5000).cseq().method()).as("answered where the phone sent from")
                        .isEqualTo("INFO");
            }
            assertThat(phone.receive(300)).as("nothing bounced to the phone's registered connection").isNull();

            Thread.sleep(1200);   // talk time for the CDR
            try (SipTestClient newConnection = SipTestClient.tcp(new InetSocketAddress(facingPhone.host(), facingPhone.port()))) {
                newConnection.send(fromPhone("BYE", atPhone, newConnection, "tcp2", 3));
                SipRequest bye = nextRequest(carrier, SipRequest.BYE, 5000);
                long hungUpAt = System.nanoTime();
                assertThat(bye.callId()).isEqualTo(callId);
                carrier.send(answer(bye, 200, "OK", null));
                assertThat(nextResponse(newConnection, 200, 5000).cseq().method()).as("answered on the new connection")
                        .isEqualTo(SipRequest.BYE);

                CdrRecord cdr = awaitCdr(callId);
                assertThat(cdr.vendorGatewayId()).isEqualTo(300L);
                assertThat(cdr.sipCode()).isEqualTo(200);
                assertThat(cdr.hangupSide()).as("the phone hung up").isEqualTo(HangupSide.CALLEE);
                long talkMillis = java.time.Duration.between(cdr.answeredAt(), cdr.endedAt()).toMillis();
                assertThat(talkMillis).isBetween(1200L, (hungUpAt - answeredAt) / 1_000_000 + 200);
                assertThat(cdr.billsec()).as("a started second counts").isEqualTo((int) ((talkMillis + 999) / 1000));
                assertThat(cdr.sellCost()).isPositive();
                assertThat(cdr.buyCost()).isPositive();
            }
            assertThat(one.registrar().stats().relay().refusedNotFromFlow()).isEqualTo(refusedBefore);
            unregister(one, phone);
        }
    }

    /**
     * The route facing a flow takes in-dialog requests from the flow's address only: nobody else sends through it
     * towards a caller, and the phone starts no dialog through it.
     */
    @Test
    void theRouteFacingAFlowRefusesRequestsFromAnyOtherAddress() throws Exception {
        ThreeNodeRegistrarTest.Node one = NODES.get(0);
        try (SipTestClient phone = SipTestClient.udp(one.address());
             SipTestClient stranger = SipTestClient.udp(one.address(), "127.0.0.3");
             SipTestClient victim = SipTestClient.udp(one.address(), "127.0.0.4")) {
            registerOn(one, phone, "<sip:alice@127.0.0.1:" + phone.localPort() + ">");
            String facing = "<sip:127.0.0.1:" + one.port() + ";lr;" + FlowRelay.FLOW_PARAM + "="
                    + one.registrar().relayToken(new InetSocketAddress("127.0.0.1", phone.localPort())) + ";"
                    + FlowRelay.FACES_PARAM + "=" + FlowRelay.FACES_FLOW + ">";
            long before = one.registrar().stats().relay().refusedNotFromFlow();
            stranger.send("MESSAGE sip:spam@127.0.0.4:" + victim.localPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.3:" + stranger.localPort() + ";branch=z9hG4bK" + UUID.randomUUID() + ";rport\r\n"
                    + "Route: " + facing + "\r\n"
                    + "From: <sip:mallory@127.0.0.3>;tag=m\r\nTo: <sip:spam@127.0.0.4>;tag=v\r\nCall-ID: " + UUID.randomUUID() + "\r\n"
                    + "CSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            assertThat(victim.receive(1000)).as("not relayed to the Request-URI").isNull();
            assertThat(phone.receive(200)).isNull();
            assertThat(one.registrar().stats().relay().refusedNotFromFlow()).isEqualTo(before + 1);

            // the phone itself may not start a dialog through it either: a route set belongs to a dialog
            phone.send("MESSAGE sip:spam@127.0.0.4:" + victim.localPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.localPort() + ";branch=z9hG4bK" + UUID.randomUUID() + ";rport\r\n"
                    + "Route: " + facing + "\r\n"
                    + "From: <sip:alice@127.0.0.1>;tag=a\r\nTo: <sip:spam@127.0.0.4>\r\nCall-ID: " + UUID.randomUUID() + "\r\n"
                    + "CSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
            assertThat(victim.receive(1000)).as("no new dialog relayed from the flow").isNull();
            assertThat(one.registrar().stats().relay().refusedNotFromFlow()).isEqualTo(before + 2);
            unregister(one, phone);
        }
    }

    /**
     * A PBX registered over TLS (the node's self-signed certificate) is called on its TLS connection through the
     * holder, answers, and hangs up; the holder's route facing it names TLS and its TLS listener.
     */
    @Test
    void aPbxRegisteredOverTlsIsCalledOnItsConnectionAndHangsUp() throws Exception {
        ThreeNodeRegistrarTest.Node one = NODES.get(0);
        ThreeNodeRegistrarTest.Node two = NODES.get(1);
        InetSocketAddress tls = one.stack().localAddress(io.tandem.softswitch.sip.codec.SipTransport.TLS);
        try (SipTestClient pbx = SipTestClient.tls(tls);
             SipTestClient carrier = SipTestClient.udp(two.address(), CARRIER_ADDRESS)) {
            registerOn(one, pbx, "<sip:alice@192.168.1.20:5061;transport=tls>");
            assertThat(one.registrar().targetOf(PBX_TRUNK).orElseThrow().transport())
                    .isEqualTo(io.tandem.softswitch.sip.codec.SipTransport.TLS);
            await("node 2 can reach the PBX", () -> two.registrar().targetOf(PBX_TRUNK).isPresent());
            assertThat(pbx.closedByServer(3000)).as("the registration holds the TLS connection past the idle 2 s").isFalse();

            String callId = UUID.randomUUID() + "@carrier";
            carrier.send(invite(two, carrier, callId));
            SipRequest atPbx = nextRequest(pbx, SipRequest.INVITE, 5000);
            assertThat(atPbx.topVia().transport()).isEqualTo("TLS");
            assertThat(atPbx.requestUri().toString()).startsWith("sip:" + CALLED + "@192.168.1.20:5061");
            io.tandem.softswitch.sip.message.SipUri facing = atPbx.recordRoutes().getFirst().uri();
            assertThat(facing.params().get("transport")).isEqualTo("tls");
            assertThat(facing.port()).isEqualTo(tls.getPort());

            pbx.send(answer(atPbx, 180, "Ringing", "tls1"));
            nextResponse(carrier, 180, 5000);
            pbx.send(answer(atPbx, 200, "OK", "tls1"));
            SipResponse answered = nextResponse(carrier, 200, 5000);
            carrier.send(inDialog("ACK", answered, carrier, 1));
            assertThat(nextRequest(pbx, SipRequest.ACK, 5000).callId()).isEqualTo(atPbx.callId());

            pbx.send(fromPhone("BYE", atPbx, pbx, "tls1", 2));
            assertThat(nextResponse(pbx, 200, 5000).cseq().method()).isEqualTo(SipRequest.BYE);
            SipRequest bye = nextRequest(carrier, SipRequest.BYE, 5000);
            assertThat(bye.callId()).isEqualTo(callId);
            carrier.send(answer(bye, 200, "OK", null));
            CdrRecord cdr = awaitCdr(callId);
            assertThat(cdr.hangupSide()).isEqualTo(HangupSide.CALLEE);
            assertThat(cdr.vendorGatewayId()).isEqualTo(300L);
            unregister(one, pbx);
        }
    }

    /**
     * Sequential forking: two phones register alice, the desk phone with q=1 first, the mobile with q=0.5 later. A
     * call through node 2 tries the desk phone first (higher q, though older); its 480 fails over to the mobile, which
     * answers. Each contact tried is an attempt of the call with its own CDR.
     */
    @Test
    void aTrunksContactsAreTriedByQThenRecencyUntilOneAnswers() throws Exception {
        ThreeNodeRegistrarTest.Node one = NODES.get(0);
        ThreeNodeRegistrarTest.Node two = NODES.get(1);
        try (SipTestClient desk = SipTestClient.udp(one.address());
             SipTestClient mobile = SipTestClient.udp(one.address());
             SipTestClient carrier = SipTestClient.udp(two.address(), CARRIER_ADDRESS)) {
            registerOn(one, desk, "<sip:alice@127.0.0.1:" + desk.localPort() + ">;q=1.0");
            String mobileContact = "<sip:alice@127.0.0.1:" + mobile.localPort() + ">;q=0.5";
            String registration = UUID.randomUUID() + "@mobile";
            String nonce = challenge(mobile, one, registration);
            SipMessage ok = ask(mobile, register(one, mobile, registration, 2, mobileContact, "600", credentials(one, nonce, 1)), 3000);
            assertThat(status(ok)).isEqualTo(200);
            assertThat(ok.headers().all(HeaderName.CONTACT)).as("§10.3 step 8: every binding, with its q")
                    .anySatisfy(c -> assertThat(c).contains(":" + mobile.localPort() + ">").contains(";q=0.5"))
                    .anySatisfy(c -> assertThat(c).contains(":" + desk.localPort() + ">").doesNotContain("q="));
            await("node 2 knows both contacts", () -> two.registrar().targetsOf(PBX_TRUNK).size() == 2);
            assertThat(status(ask(mobile, register(one, mobile, registration, 3, "<sip:alice@127.0.0.1:" + mobile.localPort() + ">;q=2",
                    "600", credentials(one, nonce, 2)), 3000))).as("a q above 1").isEqualTo(400);

            String callId = UUID.randomUUID() + "@carrier";
            carrier.send(invite(two, carrier, callId));
            SipRequest atDesk = nextRequest(desk, SipRequest.INVITE, 5000);
            assertThat(mobile.receive(300)).as("one contact at a time").isNull();
            desk.send(answer(atDesk, 480, "Temporarily Unavailable", "desk1"));
            assertThat(nextRequest(desk, SipRequest.ACK, 5000).callId()).isEqualTo(atDesk.callId());

            SipRequest atMobile = nextRequest(mobile, SipRequest.INVITE, 5000);
            assertThat(atMobile.callId()).as("a new attempt").isNotEqualTo(atDesk.callId());
            mobile.send(answer(atMobile, 200, "OK", "mob1"));
            SipResponse answered = nextResponse(carrier, 200, 5000);
            carrier.send(inDialog("ACK", answered, carrier, 1));
            nextRequest(mobile, SipRequest.ACK, 5000);
            carrier.send(inDialog("BYE", answered, carrier, 2));
            SipRequest bye = nextRequest(mobile, SipRequest.BYE, 5000);
            mobile.send(answer(bye, 200, "OK", null));
            nextResponse(carrier, 200, 5000);

            CdrRecord answeredCdr = awaitCdr(callId);
            assertThat(answeredCdr.attempt()).isEqualTo(2);
            assertThat(SETTLED.stream().filter(c -> c.sipCallId().equals(callId)).map(CdrRecord::sipCode))
                    .as("the desk phone's attempt and the mobile's").containsExactlyInAnyOrder(480, 200);
            unregister(one, desk);
        }
    }

    /** Registers alice's {@code contact} through {@code phone} (challenge, answer) on {@code node}; 200 expected. */
    private static void registerOn(ThreeNodeRegistrarTest.Node node, SipTestClient phone, String contact) throws Exception {
        String registration = UUID.randomUUID() + "@phone";
        String nonce = param(ask(phone, onTransport(phone, register(node, phone, registration, 1, contact, "600", null)), 3000)
                .header(HeaderName.WWW_AUTHENTICATE), "nonce");
        assertThat(status(ask(phone, onTransport(phone, register(node, phone, registration, 2, contact, "600", credentials(node, nonce, 1))),
                3000))).isEqualTo(200);
    }

    /** Removes every contact of alice (through any client of node's) and waits until no node knows one. */
    private static void unregister(ThreeNodeRegistrarTest.Node node, SipTestClient any) throws Exception {
        try (SipTestClient cleanup = SipTestClient.udp(node.address())) {
            String registration = UUID.randomUUID() + "@cleanup";
            String nonce = challenge(cleanup, node, registration);
            assertThat(status(ask(cleanup, register(node, cleanup, registration, 2, "*", "0", credentials(node, nonce, 1)), 3000)))
                    .isEqualTo(200);
        }
        await("unregistered everywhere", () -> NODES.stream().allMatch(n -> n.registrar().targetOf(PBX_TRUNK).isEmpty()));
    }

    private static String onTransport(SipTestClient client, String request) {
        return request.replace("SIP/2.0/UDP", "SIP/2.0/" + client.transport());
    }

    private static CdrRecord awaitCdr(String callId) throws Exception {
        await("the call's CDR", () -> SETTLED.stream().anyMatch(c -> c.sipCallId().equals(callId) && c.answeredAt() != null));
        return SETTLED.stream().filter(c -> c.sipCallId().equals(callId) && c.answeredAt() != null).findFirst().orElseThrow();
    }

    private static InetSocketAddress tcpAddress(ThreeNodeRegistrarTest.Node node) {
        return node.stack().localAddress(io.tandem.softswitch.sip.codec.SipTransport.TCP);
    }

    private static String overTcp(String request) {
        return request.replace("SIP/2.0/UDP", "SIP/2.0/TCP");
    }

    /** The phone's BYE in the dialog its answer made, on its connection. */
    private static String byeFromPhone(SipRequest invite, SipTestClient phone, String toTag) {
        return fromPhone("BYE", invite, phone, toTag, 1);
    }

    /** A request of the phone in the dialog its answer made: to the caller's Contact, through the Record-Route (RFC 3261 §12.2.1.1). */
    private static String fromPhone(String method, SipRequest invite, SipTestClient phone, String toTag, int cseq) {
        StringBuilder b = new StringBuilder(method + " " + invite.contacts().getFirst().uri() + " SIP/2.0\r\n");
        b.append("Via: SIP/2.0/").append(phone.transport()).append(" 127.0.0.1:").append(phone.localPort()).append(";branch=z9hG4bK")
                .append(UUID.randomUUID()).append(";rport\r\n");
        for (String route : invite.headers().all(HeaderName.RECORD_ROUTE)) {
            b.append("Route: ").append(route).append("\r\n");
        }
        return b.append("From: ").append(invite.header(HeaderName.TO)).append(";tag=").append(toTag).append("\r\n")
                .append("To: ").append(invite.header(HeaderName.FROM)).append("\r\n")
                .append("Call-ID: ").append(invite.callId()).append("\r\n")
                .append("CSeq: ").append(cseq).append(" ").append(method).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("Content-Length: 0\r\n\r\n").toString();
    }

    private static SipResponse finalResponse(SipTestClient client, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (client.receive(200) instanceof SipResponse response && response.status() >= 200) {
                return response;
            }
        }
        throw new AssertionError("no final answer within " + timeoutMillis + " ms");
    }

    // ------------------------------------------------------------------ the nodes

    /** Account 5 (kind both) sells through the gateway to its trunk 41's registered contact; the carrier buys 1555. */
    static RouteTable routes() {
        long from = System.currentTimeMillis() - 86_400_000L;
        return RouteTable.builder(1)
                .deck(100, CARRIER_ACCOUNT, DeckDirection.SELL, "EUR")
                .deck(200, PBX_ACCOUNT, DeckDirection.BUY, "EUR")
                .rate(100, "1", "US", 20_000, 0, 1, 1, from, RouteTable.OPEN_ENDED, false)
                .rate(200, "1", "US", 10_000, 0, 1, 1, from, RouteTable.OPEN_ENDED, false)
                .vendor(new Vendor(PBX_ACCOUNT, "pbx-owner", true, 200L))
                .gateway(new Gateway(300, PBX_ACCOUNT, "pbx-registered", "pbx-trunk", 5060, "udp", "", 100, 100, true, null, null,
                        null, null, PBX_TRUNK, null))
                .profile(new RoutingProfile(10, "to-pbx", Strategy.LCR, 0, BigDecimal.ZERO, false, 5,
                        List.of(new RoutingRule(1, "", PBX_ACCOUNT, null, 100, 100, null, true))))
                .trunk(new Trunk(CARRIER_TRUNK, CARRIER_ACCOUNT, "carrier-trunk", true, NumberNormalizer.NONE, 100L, 10L))
                .trunk(new Trunk(PBX_TRUNK, PBX_ACCOUNT, "pbx-trunk", true, NumberNormalizer.NONE, null, null))
                .build();
    }

    static ThreeNodeRegistrarTest.Node start(String name, int port, List<ClusterSync.Peer> peers, RouteTable table) {
        TrunkAccess pbx = new TrunkAccess(PBX_TRUNK, PBX_ACCOUNT, "pbx-trunk", true, List.of(), List.of(new TrunkAccess.DigestUser("alice",
                REALM, md5Hex("alice:" + REALM + ":s3cret-horse"), sha256Hex("alice:" + REALM + ":s3cret-horse"))), "active", true,
                null, null, null, null, AssertedIdentity.PASS, true, MediaMode.BYPASS);
        TrunkAccess carrier = new TrunkAccess(CARRIER_TRUNK, CARRIER_ACCOUNT, "carrier-trunk", true, List.of(CARRIER_ADDRESS + "/32"),
                List.of(), "active", true, null, null, null, null, AssertedIdentity.PASS, true, MediaMode.BYPASS);
        TrunkIdentification trunks = TrunkIdentification.of(List.of(pbx, carrier));
        DigestAuthenticator digest = new DigestAuthenticator(REALM, Duration.ofMinutes(5), Clock.systemUTC());
        QualityStats quality = new QualityStats();
        RegisteredTargets.Link registered = new RegisteredTargets.Link();
        CallEngine engine = new CallEngine(CallEngineSettings.defaults(name), CallRouting.of(() -> table, quality, registered), () -> trunks,
                digest, new AdmissionControl(() -> 1), new VendorBreakers(VendorBreakers.Settings.defaults()), quality, new GrantingBilling(),
                BILLING, CallClock.system(Clock.systemUTC()), event -> { }, MediaAnchor.Factory.PASS_THROUGH);
        engine.reachRegisteredContacts(registered);
        RegistrarDispatch dispatch = new RegistrarDispatch(engine);
        engine.identifyRegisteredSources(dispatch);
        // TCP on an ephemeral port; idle connections close after 2 s unless a registration holds them
        SipStack stack = SipStack.start(SipStackConfig.loopback().withPorts(port, 0, 0).withDataDir(tlsData)
                .withConnectionLimits(64, Duration.ofSeconds(2)), dispatch);
        stack.trust(InetAddress::isLoopbackAddress);
        engine.attach(stack);
        ClusterSync sync = new ClusterSync(name, new ClusterEventSeal(KEY), peers, stack, RegisteredContactCallTest::micros, Duration.ofSeconds(30));
        Registrar registrar = new Registrar(RegistrarSettings.defaults(name).withExpires(Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofHours(1)),
                () -> trunks, digest, engine.digestFailureBans(), stack, CustomerSource.none(), sync, System::currentTimeMillis);
        dispatch.attach(registrar);
        registered.connect(registrar);
        registrar.start();
        return new ThreeNodeRegistrarTest.Node(name, port, stack, registrar);
    }

    private static long micros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /** Billing that pays ten minutes of every call and keeps nothing. */
    private static final class GrantingBilling implements CallAuthorizer {
        @Override
        public Optional<Authorization> authorizeIfLeaseReady(UUID callUuid, long accountId, RateSnapshot rate) {
            return Optional.of(authorize(callUuid, accountId, rate));
        }

        @Override
        public Authorization authorize(UUID callUuid, long accountId, RateSnapshot rate) {
            return new Authorization.Granted(callUuid, accountId, rate, HoldSource.LEASE, new BigDecimal("1.000000"), 600);
        }

        @Override
        public Authorization extend(Authorization.Granted grant) {
            return grant;
        }

        @Override
        public CompletableFuture<Void> settle(Authorization.Granted grant, List<CdrRecord> attempts) {
            SETTLED.addAll(attempts);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> settleUnauthorized(UUID callUuid, long accountId, List<CdrRecord> attempts) {
            return CompletableFuture.completedFuture(null);
        }
    }

    // ------------------------------------------------------------------ what the phone and the carrier send

    private static String challenge(SipTestClient phone, ThreeNodeRegistrarTest.Node node, String callId) throws IOException {
        SipMessage challenge = ask(phone, register(node, phone, callId, 1, "<sip:alice@127.0.0.1:" + phone.localPort() + ">", "600", null), 3000);
        assertThat(status(challenge)).isEqualTo(401);
        return param(challenge.header(HeaderName.WWW_AUTHENTICATE), "nonce");
    }

    private static String invite(ThreeNodeRegistrarTest.Node node, SipTestClient from, String callId) {
        String host = from.localAddress();
        String sdp = "v=0\r\no=- 1 1 IN IP4 " + host + "\r\ns=-\r\nc=IN IP4 " + host + "\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        return "INVITE sip:" + CALLED + "@127.0.0.1:" + node.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ":" + from.localPort() + ";branch=z9hG4bK" + UUID.randomUUID() + ";rport\r\n"
                + "From: <sip:4420799@" + host + ">;tag=c" + callId.hashCode() + "\r\n"
                + "To: <sip:" + CALLED + "@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:4420799@" + host + ":" + from.localPort() + ">\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    /** RFC 3261 §9.1: the INVITE's Request-URI, Via, From, To, Call-ID and CSeq number, no body. */
    private static String cancelOf(String invite) {
        StringBuilder b = new StringBuilder();
        for (String line : invite.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.startsWith("INVITE ")) {
                b.append("CANCEL ").append(line.substring("INVITE ".length()));
            } else if (line.startsWith("CSeq:")) {
                b.append("CSeq: 1 CANCEL");
            } else if (line.startsWith("Via:") || line.startsWith("From:") || line.startsWith("To:") || line.startsWith("Call-ID:")
                    || line.startsWith("Max-Forwards:")) {
                b.append(line);
            } else {
                continue;
            }
            b.append("\r\n");
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** An ACK or BYE of the carrier's answered call, to the switch's Contact. */
    private static String inDialog(String method, SipResponse answered, SipTestClient from, int cseq) {
        String host = from.localAddress();
        return method + " " + answered.contacts().getFirst().uri() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ":" + from.localPort() + ";branch=z9hG4bK" + UUID.randomUUID() + ";rport\r\n"
                + "From: " + answered.header(HeaderName.FROM) + "\r\n"
                + "To: " + answered.header(HeaderName.TO) + "\r\n"
                + "Call-ID: " + answered.callId() + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** The phone's answer: every Via, the Record-Route, its tag and Contact (RFC 3261 §8.2.6.2, §12.1.1). */
    private static String answer(SipRequest request, int status, String reason, String toTag) {
        StringBuilder b = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
        for (String via : request.headers().all(HeaderName.VIA)) {
            b.append("Via: ").append(via).append("\r\n");
        }
        for (String route : request.headers().all(HeaderName.RECORD_ROUTE)) {
            b.append("Record-Route: ").append(route).append("\r\n");
        }
        String to = request.header(HeaderName.TO);
        b.append("From: ").append(request.header(HeaderName.FROM)).append("\r\n")
                .append("To: ").append(toTag == null || to.contains("tag=") ? to : to + ";tag=" + toTag).append("\r\n")
                .append("Call-ID: ").append(request.callId()).append("\r\n")
                .append("CSeq: ").append(request.cseq()).append("\r\n");
        if (status >= 200 && status < 300 && request.isInvite()) {
            b.append("Contact: <sip:alice@192.168.1.20:5062>\r\n");
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    private static SipRequest nextRequest(SipTestClient client, String method, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            SipMessage message = client.receive(200);
            if (message instanceof SipRequest request && request.method().equals(method)) {
                return request;
            }
        }
        throw new AssertionError("no " + method + " within " + timeoutMillis + " ms");
    }

    private static SipResponse nextResponse(SipTestClient client, int status, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        List<Integer> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            SipMessage message = client.receive(200);
            if (message instanceof SipResponse response) {
                if (response.status() == status) {
                    return response;
                }
                seen.add(response.status());
            }
        }
        throw new AssertionError("no " + status + " within " + timeoutMillis + " ms; saw " + seen);
    }
}
