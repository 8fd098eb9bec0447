package io.tandem.softswitch.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.routing.provisioning.AssertedIdentity;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.routing.provisioning.TrunkAccess;
import io.tandem.softswitch.call.DigestFailureBans;
import io.tandem.softswitch.call.DigestGuessLimits;
import io.tandem.softswitch.call.identify.CustomerSource;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.call.identify.TrunkIdentification;
import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.SipStackConfig;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.testing.SipTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three nodes on loopback, each a real SIP stack with its registrar, peers of each other. A phone
 * REGISTERs on node 1 over UDP with its trunk's digest credentials; nodes 2 and 3 learn of it by the
 * sealed MESSAGEs and identify the phone's address as the trunk's; it unregisters and all forget it;
 * it registers for 2 s and all forget it when the time is up. A forged MESSAGE and a replayed one
 * change nothing. A node started late catches up from a peer's table (the resync).
 */
class ThreeNodeRegistrarTest {

    static final String KEY = "three-node-test-cluster-key";
    static final String REALM = "tandem";
    static final long TRUNK = 41;
    static final InetAddress PHONE = InetAddress.getLoopbackAddress();

    static final List<Node> NODES = new ArrayList<>();

    record Node(String name, int port, SipStack stack, Registrar registrar) {
        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", port);
        }
    }

    @BeforeAll
    static void startThreeNodes() {
        int[] ports = {freeUdpPort(), freeUdpPort(), freeUdpPort()};
        for (int i = 0; i < 3; i++) {
            List<ClusterSync.Peer> peers = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    peers.add(new ClusterSync.Peer("node-" + (j + 1), "127.0.0.1", ports[j]));
                }
            }
            NODES.add(start("node-" + (i + 1), ports[i], peers));
        }
    }

    @AfterAll
    static void stopThem() {
        NODES.forEach(node -> node.stack().close());
    }

    @Test
    void aRegistrationOnNodeOneIsKnownToAllThenUnregisteredThenExpired() throws Exception {
        Node one = NODES.get(0);
        try (SipTestClient phone = SipTestClient.udp(one.address())) {
            String callId = UUID.randomUUID() + "@phone";
            SipMessage challenge = ask(phone, register(one, phone, callId, 1, "<sip:alice@127.0.0.1:" + phone.localPort() + ">", "600", null), 3000);
            assertThat(status(challenge)).isEqualTo(401);
            String nonce = param(challenge.header(HeaderName.WWW_AUTHENTICATE), "nonce");

            SipMessage tooBrief = ask(phone, register(one, phone, callId, 2, "<sip:alice@127.0.0.1:" + phone.localPort() + ">", "1",
                    credentials(one, nonce, 1)), 3000);
            assertThat(status(tooBrief)).isEqualTo(423);
            assertThat(tooBrief.header("Min-Expires")).isEqualTo("2");

            SipMessage ok = ask(phone, register(one, phone, callId, 3,
                    "<sip:alice@127.0.0.1:" + phone.localPort() + ">, <sip:alice@127.0.0.1:" + phone.localPort() + ";ob>;expires=120", "600",
                    credentials(one, nonce, 2)), 3000);
            assertThat(status(ok)).as(String.valueOf(ok)).isEqualTo(200);
            assertThat(ok.contacts()).hasSize(2);
            assertThat(ok.contacts().getFirst().params().get("expires")).isEqualTo("600");
            assertThat(ok.contacts().get(1).params().get("expires")).isEqualTo("120");
            for (Node node : NODES) {
                await(node.name() + " identifies the phone's address as the trunk's", () -> node.registrar().trunkOf(PHONE).orElse(-1) == TRUNK);
            }
            await("every node knows both contacts", () -> NODES.stream().allMatch(n -> n.registrar().stats().bindings() == 2));

            SipMessage gone = ask(phone, register(one, phone, callId, 4, "*", "0", credentials(one, nonce, 3)), 3000);
            assertThat(status(gone)).isEqualTo(200);
            assertThat(gone.contacts()).isEmpty();
            await("every node forgot the phone", () -> NODES.stream().allMatch(n -> n.registrar().trunkOf(PHONE).isEmpty()));

            SipMessage brief = ask(phone, register(one, phone, callId, 5, "<sip:alice@127.0.0.1:" + phone.localPort() + ">", "2",
                    credentials(one, nonce, 4)), 3000);
            assertThat(status(brief)).isEqualTo(200);
            await("every node knows the phone again", () -> NODES.stream().allMatch(n -> n.registrar().trunkOf(PHONE).isPresent()));
            await("every node forgets it when its 2 s are up", () -> NODES.stream().allMatch(n -> n.registrar().stats().bindings() == 0));
            assertThat(NODES.stream().mapToLong(n -> n.registrar().stats().sync().refused())).as("no genuine event was refused").allMatch(c -> c == 0);
        }
    }

    @Test
    void aWrongPasswordGetsForbiddenAndBindsNothing() throws Exception {
        Node two = NODES.get(1);
        try (SipTestClient phone = SipTestClient.udp(two.address())) {
            String callId = UUID.randomUUID() + "@phone";
            SipMessage challenge = ask(phone, register(two, phone, callId, 1, "<sip:alice@127.0.0.1:9>", "600", null), 3000);
            String nonce = param(challenge.header(HeaderName.WWW_AUTHENTICATE), "nonce");
            String wrong = credentials(two, nonce, 1).replace("response=\"", "response=\"0");

            assertThat(status(ask(phone, register(two, phone, callId, 2, "<sip:alice@127.0.0.1:9>", "600", wrong), 3000))).isEqualTo(403);
            assertThat(two.registrar().stats().ownBindings()).isZero();
        }
    }

    @Test
    void aForgedOrReplayedClusterEventIsRefusedAndChangesNothing() throws Exception {
        Node three = NODES.get(2);
        InetAddress stranger = InetAddress.getByName("127.0.0.66");
        Binding planted = new Binding("mallory", TRUNK, "sip:mallory@127.0.0.66", new InetSocketAddress(stranger, 5060), "UDP",
                System.currentTimeMillis() + 600_000, "x", 1, System.currentTimeMillis() * 1000 + 5, "node-1");
        ClusterEventCodec codec = new ClusterEventCodec();
        // a sender name of its own: node-1's real sequence numbers are far above 7
        byte[] body = codec.encode(new ClusterEnvelope("node-captured", 7, System.currentTimeMillis() * 1000,
                new ClusterEvent(ClusterEvent.Kind.REGISTER, planted)));
        try (SipTestClient attacker = SipTestClient.udp(three.address())) {
            SipMessage forged = ask(attacker, message(three, attacker, body, new ClusterEventSeal("an-outsiders-guess-at-the-key").seal(body)), 3000);
            assertThat(status(forged)).isEqualTo(403);
            assertThat(forged.header(HeaderName.WARNING)).contains("seal does not verify");
            assertThat(three.registrar().trunkOf(stranger)).isEmpty();

            // a genuine event captured on the wire and sent again: taken once, refused after
            String sealed = new ClusterEventSeal(KEY).seal(body);
            assertThat(status(ask(attacker, message(three, attacker, body, sealed), 3000))).isEqualTo(200);
            three.registrar().resync(List.of(new ClusterEvent(ClusterEvent.Kind.UNREGISTER, withVersion(planted, planted.version() + 1)))).get();
            SipMessage replayed = ask(attacker, message(three, attacker, body, sealed), 3000);
            assertThat(status(replayed)).isEqualTo(403);
            assertThat(replayed.header(HeaderName.WARNING)).contains("replayed");
            assertThat(three.registrar().trunkOf(stranger)).isEmpty();
        }
    }

    @Test
    void aNodeStartedLateCatchesUpFromAPeer() throws Exception {
        Node one = NODES.get(0);
        Binding bob = new Binding("bob", TRUNK, "sip:bob@127.0.0.9", new InetSocketAddress("127.0.0.9", 5060), "UDP",
                System.currentTimeMillis() + 600_000, "y", 1, System.currentTimeMillis() * 1000 + 9, "node-1");
        one.registrar().resync(List.of(new ClusterEvent(ClusterEvent.Kind.REGISTER, bob))).get();
        Node late = start("node-4", freeUdpPort(), List.of());
        try {
            List<Binding> peerTable = one.registrar().bindings().get();
            List<ClusterEvent> asEvents = peerTable.stream().map(b -> new ClusterEvent(ClusterEvent.Kind.REGISTER, b)).toList();
            // over the wire as a peer's /api/v1/cluster/registrations answers
            List<ClusterEvent> pulled = new ClusterEventCodec().decodeAll(new ClusterEventCodec().encodeAll(asEvents), 1000);

            assertThat(late.registrar().resync(pulled).get()).isEqualTo(peerTable.size());
            assertThat(late.registrar().trunkOf(InetAddress.getByName("127.0.0.9"))).hasValue(TRUNK);
        } finally {
            late.stack().close();
            one.registrar().resync(List.of(new ClusterEvent(ClusterEvent.Kind.UNREGISTER, withVersion(bob, bob.version() + 1)))).get();
        }
    }

    // ------------------------------------------------------------------ the nodes

    static Node start(String name, int port, List<ClusterSync.Peer> peers) {
        return start(name, port, peers, RegistrarSettings.defaults(name).withExpires(Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofHours(1)));
    }

    static Node start(String name, int port, List<ClusterSync.Peer> peers, RegistrarSettings settings) {
        TrunkAccess trunk = new TrunkAccess(TRUNK, 5, "dynamic-trunk", true, List.of(), List.of(new TrunkAccess.DigestUser("alice", REALM,
                md5Hex("alice:" + REALM + ":s3cret-horse"), sha256Hex("alice:" + REALM + ":s3cret-horse"))), "active", true, null, null, null, null,
                AssertedIdentity.PASS, true, MediaMode.BYPASS);
        TrunkIdentification trunks = TrunkIdentification.of(List.of(trunk));
        RegistrarDispatch dispatch = new RegistrarDispatch(tx -> tx.respond(405));
        SipStack stack = SipStack.start(SipStackConfig.loopback().withPorts(port, 0, -1), dispatch);
        // as a node trusts its peers' addresses (RegistrarAssembly.peerAddresses): their events come in bursts
        stack.trust(InetAddress::isLoopbackAddress);
        ClusterSync sync = new ClusterSync(name, new ClusterEventSeal(KEY), peers, stack, ThreeNodeRegistrarTest::micros, Duration.ofSeconds(30));
        Registrar registrar = new Registrar(settings, () -> trunks, new DigestAuthenticator(REALM, Duration.ofMinutes(5), Clock.systemUTC()),
                new DigestFailureBans(stack, DigestGuessLimits.defaults(), System::nanoTime), stack, CustomerSource.none(), sync, System::currentTimeMillis);
        dispatch.attach(registrar);
        registrar.start();
        return new Node(name, port, stack, registrar);
    }

    private static long micros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    private static Binding withVersion(Binding b, long version) {
        return new Binding(b.aor(), b.trunkId(), b.contact(), b.source(), b.transport(), b.expiresAtMillis(), b.callId(), b.cseq(), version, b.node());
    }

    // ------------------------------------------------------------------ what the phone sends

    static String register(Node node, SipTestClient phone, String callId, int cseq, String contact, String expires, String authorization) {
        return "REGISTER sip:127.0.0.1:" + node.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.localPort() + ";branch=z9hG4bK" + UUID.randomUUID() + ";rport\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=phone" + cseq + "\r\n"
                + "To: <sip:alice@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: " + contact + "\r\n"
                + "Expires: " + expires + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static String message(Node node, SipTestClient sender, byte[] body, String seal) {
        return "MESSAGE sip:tandem-cluster@127.0.0.1:" + node.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + sender.localPort() + ";branch=z9hG4bK" + UUID.randomUUID() + ";rport\r\n"
                + "From: <sip:node-1@127.0.0.1>;tag=n1\r\n"
                + "To: <sip:tandem-cluster@127.0.0.1>\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Max-Forwards: 70\r\n"
                + ClusterEventSeal.HEADER + ": " + seal + "\r\n"
                + "Content-Type: " + ClusterSync.CONTENT_TYPE + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8);
    }

    /** RFC 7616 §3.4.1 with qop=auth and MD5, as a phone computes it. */
    static String credentials(Node node, String nonce, int count) {
        String uri = "sip:127.0.0.1:" + node.port();
        String nc = String.format("%08x", count);
        String cnonce = "c" + count;
        String ha1 = md5Hex("alice:" + REALM + ":s3cret-horse");
        String ha2 = md5Hex("REGISTER:" + uri);
        String response = md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"alice\", realm=\"" + REALM + "\", nonce=\"" + nonce + "\", uri=\"" + uri + "\", response=\"" + response
                + "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\"";
    }

    /**
     * Sends and waits for the answer to this request: over UDP the client retransmits, so a late answer
     * to an earlier request (same CSeq is unique per test request) is skipped.
     */
    static SipMessage ask(SipTestClient client, String request, int timeoutMillis) throws IOException {
        String cseq = request.lines().filter(line -> line.startsWith("CSeq:")).findFirst().orElseThrow();
        String callId = request.lines().filter(line -> line.startsWith("Call-ID:")).findFirst().orElseThrow().substring(8).trim();
        SipMessage answer = client.request(request, timeoutMillis);
        while (answer != null && !(answer.callId().equals(callId) && ("CSeq: " + answer.cseq()).equals(cseq))) {
            answer = client.receive(timeoutMillis);
        }
        return answer;
    }

    static int status(SipMessage message) {
        assertThat(message).as("an answer").isNotNull();
        return ((SipResponse) message).status();
    }

    static String param(String header, String name) {
        int start = header.indexOf(name + "=\"") + name.length() + 2;
        return header.substring(start, header.indexOf('"', start));
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what).isTrue();
            Thread.sleep(20);
        }
    }

    static String md5Hex(String text) {
        return hex("MD5", text);
    }

    static String sha256Hex(String text) {
        return hex("SHA-256", text);
    }

    private static String hex(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
