package io.tandem.softswitch.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.call.MessageBody;
import io.tandem.softswitch.media.remote.MediaNodeControl;
import io.tandem.softswitch.media.remote.MediaNodes;
import io.tandem.softswitch.media.remote.RemoteRelayedCall;
import io.tandem.softswitch.media.sdp.SessionDescription;
import io.tandem.softswitch.sip.testing.ManualClock;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A media node's sessions on its real relay and loopback sockets, driven by a signalling side's
 * {@link RemoteRelayedCall} through the control port (in process here; over HTTP in the console's test).
 */
class ControlledSessionsTest {

    private MediaRelay relay;
    private ControlledSessions sessions;
    private Instant now = Instant.parse("2026-12-06T12:00:00Z");
    private final InstantSource clock = () -> now;

    @BeforeEach
    void start() {
        int base = 2 * ThreadLocalRandom.current().nextInt(20_000, 29_000);
        relay = new MediaRelay(new MediaRelayConfig("127.0.0.1", "127.0.0.1", base, base + 39, 1, Duration.ofSeconds(60),
                Duration.ofHours(1), Duration.ofSeconds(2)));
        sessions = new ControlledSessions(relay, 2, Duration.ofSeconds(30), clock);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    /** The control protocol without the network: what the console's HTTP client and controller do, in process. */
    private MediaNodeControl inProcess(String holder) {
        return new MediaNodeControl() {
            @Override
            public CompletableFuture<PortGrant> lease(String node, int pairs) {
                return CompletableFuture.completedFuture(sessions.lease(holder, pairs));
            }

            @Override
            public CompletableFuture<NodeLoad> update(String node, SessionUpdate update) {
                return switch (sessions.update(holder, update)) {
                    case ControlledSessions.Outcome.Applied applied -> CompletableFuture.completedFuture(applied.load());
                    case ControlledSessions.Outcome.Refused refused -> CompletableFuture.failedFuture(new IllegalStateException(refused.why()));
                };
            }

            @Override
            public CompletableFuture<Released> release(String node, UUID call) {
                return sessions.release(holder, call);
            }

            @Override
            public CompletableFuture<NodeStatus> status(String node, List<Integer> unused) {
                return CompletableFuture.completedFuture(sessions.status(holder, unused));
            }
        };
    }

    @Test
    void rtpFlowsBothWaysThroughTheMediaNodeAndItsPortsAreFreedWhenTheCallEnds() throws Exception {
        MediaNodeControl control = inProcess("sip-1");
        MediaNodes nodes = new MediaNodes(List.of("media-1"), control, clock, new MediaNodes.Settings(Duration.ofSeconds(15), 5_000, 4, 2));
        nodes.heartbeats(Map.of("media-1", now));
        nodes.tick();
        int freeBefore = relay.freePortPairs() + 4;   // the 4 leased pairs count as free: nothing is bound
        RemoteRelayedCall call = new RemoteRelayedCall(nodes, control, facts(), new ManualClock(), (c, node) -> { }, false);
        try (DatagramSocket customer = socket("127.0.0.7"); DatagramSocket vendor = socket("127.0.0.1")) {
            String offer = text(call.towardVendor(sdp("10.0.0.5", 4000)));
            String answer = text(call.towardCustomer(sdp("127.0.0.1", vendor.getLocalPort())));
            call.answered();
            assertThat(offer).contains("c=IN IP4 127.0.0.1").doesNotContain("10.0.0.5");
            assertThat(sessions.load()).isEqualTo(new MediaNodeControl.NodeLoad(1, 2));
            InetSocketAddress forCustomer = new InetSocketAddress("127.0.0.1", SessionDescription.parse(answer).media().getFirst().port());
            InetSocketAddress forVendor = new InetSocketAddress("127.0.0.1", SessionDescription.parse(offer).media().getFirst().port());
            awaitBound(forCustomer);   // the node binds its sockets on its media loop
            awaitBound(forVendor);
            for (int i = 0; i < 20; i++) {
                customer.send(rtp(0x1111, 100 + i, "customer", forCustomer));
                Thread.sleep(2);
            }
            // the customer's SDP named 10.0.0.5 (a NAT): the node latches after probation, then relays every packet
            assertThat(receive(vendor, "customer")).isBetween(17, 18);
            // the vendor talks once the customer is latched (before, its packets would go to the SDP's 10.0.0.5: how
            // many depended on the loop's scheduling, not on the relay)
            for (int i = 0; i < 20; i++) {
                vendor.send(rtp(0x3333, 700 + i, "vendor", forVendor));
                Thread.sleep(2);
            }
            assertThat(receive(customer, "vendor")).isEqualTo(20);
        }
        call.close();
        assertThat(sessions.load().sessions()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (relay.freePortPairs() < freeBefore - 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(relay.freePortPairs()).isEqualTo(freeBefore - 2);   // 2 leased pairs still unused on the signalling side
    }

    /**
     * The media timeout of a remote call, on the node: an answered session is reported silent to its holder (only)
     * once no RTP came either way for the limit the holder set, and its release answers what it relayed.
     */
    @Test
    void anAnsweredSessionSilentForItsLimitIsReportedToItsHolderAndItsFiguresComeBackOnRelease() throws Exception {
        long[] handNanos = {System.nanoTime()};
        sessions = new ControlledSessions(relay, 2, Duration.ofSeconds(30), clock, () -> handNanos[0]);
        List<Integer> ports = sessions.lease("sip-1", 2).ports();
        UUID call = UUID.randomUUID();
        try (DatagramSocket customer = socket("127.0.0.1"); DatagramSocket vendor = socket("127.0.0.1")) {
            sessions.update("sip-1", new MediaNodeControl.SessionUpdate(call, 1, List.of(new MediaNodeControl.StreamTargets(ports.get(0),
                    ports.get(1), new MediaNodeControl.Endpoint("127.0.0.1", customer.getLocalPort()),
                    new MediaNodeControl.Endpoint("127.0.0.1", vendor.getLocalPort()), 8000)), true, 60_000));
            InetSocketAddress forCustomer = new InetSocketAddress("127.0.0.1", ports.get(0));
            InetSocketAddress forVendor = new InetSocketAddress("127.0.0.1", ports.get(1));
            awaitBound(forCustomer);
            awaitBound(forVendor);
            long beforeMedia = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                customer.send(rtp(0x1111, 100 + i, "customer", forCustomer));
                vendor.send(rtp(0x3333, 700 + i, "vendor", forVendor));
                Thread.sleep(2);
            }
            assertThat(receiveAll(vendor, "customer", 10)).isEqualTo(10);
            assertThat(receiveAll(customer, "vendor", 10)).isEqualTo(10);
            long afterMedia = System.nanoTime();
            // the last packet came between the two: at most 59 s of silence, then at least 61 s
            handNanos[0] = beforeMedia + Duration.ofSeconds(59).toNanos();
            assertThat(sessions.status("sip-1", null).silent()).as("under 60 s of silence").isEmpty();
            handNanos[0] = afterMedia + Duration.ofSeconds(61).toNanos();
            assertThat(sessions.status("sip-1", null).silent()).as("61 s of silence").containsExactly(call);
            assertThat(sessions.status("sip-2", null).silent()).as("another signalling node's status").isEmpty();
            assertThat(relay.counters().timeouts()).isEqualTo(1);

            MediaNodeControl.Released released = sessions.release("sip-1", call).get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(released.sessions()).isZero();
            assertThat(released.stats().fromCustomer().packets()).isEqualTo(10);
            assertThat(released.stats().fromCustomer().octets()).isEqualTo(10 * (12 + "customer".length()));
            assertThat(released.stats().fromCustomer().lost()).isZero();
            assertThat(released.stats().fromVendor().packets()).isEqualTo(10);
            assertThat(sessions.status("sip-1", null).silent()).as("released").isEmpty();
            assertThat(sessions.release("sip-1", call).get(5, java.util.concurrent.TimeUnit.SECONDS).stats()).as("released twice").isNull();
        }
    }

    @Test
    void aSessionNotAnsweredOrWithoutALimitNeverTimesOut() {
        long[] handNanos = {System.nanoTime()};
        sessions = new ControlledSessions(relay, 2, Duration.ofSeconds(30), clock, () -> handNanos[0]);
        List<Integer> ports = sessions.lease("sip-1", 4).ports();
        update(UUID.randomUUID(), 1, ports.get(0), ports.get(1));
        sessions.update("sip-1", new MediaNodeControl.SessionUpdate(UUID.randomUUID(), 1,
                List.of(new MediaNodeControl.StreamTargets(ports.get(2), ports.get(3), null, null, 8000)), true, 0));
        handNanos[0] += Duration.ofDays(1).toNanos();
        assertThat(sessions.status("sip-1", null).silent()).isEmpty();
    }

    @Test
    void theCapRefusesANewSessionAndALateUpdateDoesNotReviveAReleasedOne() {
        List<Integer> ports = sessions.lease("sip-1", 6).ports();
        assertThat(update(UUID.randomUUID(), 1, ports.get(0), ports.get(1))).isInstanceOf(ControlledSessions.Outcome.Applied.class);
        UUID second = UUID.randomUUID();
        assertThat(update(second, 1, ports.get(2), ports.get(3))).isInstanceOf(ControlledSessions.Outcome.Applied.class);
        assertThat(update(UUID.randomUUID(), 1, ports.get(4), ports.get(5)))
                .isEqualTo(new ControlledSessions.Outcome.Refused("this media node is full: 2 of 2 sessions"));
        sessions.release("sip-1", second);
        assertThat(update(second, 2, ports.get(2), ports.get(3))).isInstanceOf(ControlledSessions.Outcome.Applied.class);
        assertThat(sessions.load().sessions()).isEqualTo(1);
    }

    @Test
    void theNodesOwnRelayedCallsCountInItsLoadAndAgainstItsCap() {
        // a node with both roles carries a call of its own on the relay beside the remote sessions: the Cluster view
        // and the signalling nodes choosing a media node see both, and the cap holds for both
        RelayedCall own = new RelayedCall(relay, facts(), new RelayedCall.Listener() {
            @Override
            public void mediaTimedOut(CallFacts call) {
            }

            @Override
            public void mediaEnded(CallFacts call, MediaStats stats) {
            }
        });
        own.towardVendor(sdp("127.0.0.7", 4000));
        assertThat(sessions.load()).isEqualTo(new MediaNodeControl.NodeLoad(1, 2));
        List<Integer> ports = sessions.lease("sip-1", 4).ports();
        assertThat(update(UUID.randomUUID(), 1, ports.get(0), ports.get(1))).isInstanceOf(ControlledSessions.Outcome.Applied.class);
        assertThat(update(UUID.randomUUID(), 1, ports.get(2), ports.get(3)))
                .isEqualTo(new ControlledSessions.Outcome.Refused("this media node is full: 2 of 2 sessions"));
        assertThat(sessions.status("sip-1", null).sessions()).isEqualTo(2);
        own.close();
    }

    @Test
    void aPortNotLeasedToTheHolderIsRefused() {
        List<Integer> ports = sessions.lease("sip-1", 2).ports();
        assertThat(update(UUID.randomUUID(), 1, ports.get(0), ports.get(1), "sip-2"))
                .isEqualTo(new ControlledSessions.Outcome.Refused("port " + ports.get(0) + " is not leased to sip-2"));
    }

    @Test
    void aSilentSignallingNodeLosesItsSessionsAndLeases() {
        int free = relay.freePortPairs();
        List<Integer> ports = sessions.lease("sip-1", 4).ports();
        update(UUID.randomUUID(), 1, ports.get(0), ports.get(1));
        now = now.plusSeconds(29);
        sessions.expire();
        assertThat(sessions.load().sessions()).isEqualTo(1);
        now = now.plusSeconds(2);
        sessions.expire();
        assertThat(sessions.load().sessions()).isZero();
        // the unused leases at once, the session's two pairs once its media loop closed them
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (relay.freePortPairs() < free && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(relay.freePortPairs()).isEqualTo(free);
    }

    private ControlledSessions.Outcome update(UUID call, long revision, int customerPort, int vendorPort) {
        return update(call, revision, customerPort, vendorPort, "sip-1");
    }

    private ControlledSessions.Outcome update(UUID call, long revision, int customerPort, int vendorPort, String holder) {
        return sessions.update(holder, new MediaNodeControl.SessionUpdate(call, revision,
                List.of(new MediaNodeControl.StreamTargets(customerPort, vendorPort, null, null, 8000)), false));
    }

    /** Until a socket is bound to the port (the node's, bound on its media loop), at most 5 s; read from /proc, never by binding. */
    private static void awaitBound(InetSocketAddress port) throws Exception {
        String local = String.format(":%04X ", port.getPort());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (String table : new String[]{"/proc/net/udp", "/proc/net/udp6"}) {
                if (java.nio.file.Files.readAllLines(java.nio.file.Path.of(table)).stream()
                        .anyMatch(line -> line.trim().split("\\s+")[1].endsWith(local.strip()))) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the media node never bound " + port);
    }

    /** Up to {@code expected} packets, each given up to 5 s (a loaded box may hold the relay's loop a while). */
    private static int receiveAll(DatagramSocket socket, String payload, int expected) throws Exception {
        return receive(socket, payload, expected, 5_000);
    }

    /** Whatever arrives until 300 ms pass without a packet. */
    private static int receive(DatagramSocket socket, String payload) throws Exception {
        return receive(socket, payload, Integer.MAX_VALUE, 300);
    }

    private static int receive(DatagramSocket socket, String payload, int expected, int waitMillis) throws Exception {
        socket.setSoTimeout(waitMillis);
        int n = 0;
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        while (n < expected) {
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return n;
            }
            assertThat(new String(p.getData(), 12, p.getLength() - 12, StandardCharsets.US_ASCII)).isEqualTo(payload);
            n++;
        }
        return n;
    }

    private static DatagramPacket rtp(int ssrc, int sequence, String payload, InetSocketAddress to) {
        byte[] body = payload.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(12 + body.length);
        b.put((byte) 0x80).put((byte) 0).putShort((short) sequence).putInt(160 * sequence).putInt(ssrc).put(body);
        return new DatagramPacket(b.array(), b.capacity(), to);
    }

    private static DatagramSocket socket(String address) throws Exception {
        return new DatagramSocket(new InetSocketAddress(address, 0));
    }

    private static CallFacts facts() {
        return new CallFacts(UUID.randomUUID(), "call-1", null, new InetSocketAddress("127.0.0.7", 5060), "a", "b", Instant.now(), 0);
    }

    private static String text(MessageBody body) {
        return new String(body.content(), StandardCharsets.UTF_8);
    }

    private static MessageBody sdp(String address, int port) {
        String text = "v=0\r\no=x 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\nm=audio " + port
                + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        return new MessageBody("application/sdp", text.getBytes(StandardCharsets.US_ASCII));
    }
}
