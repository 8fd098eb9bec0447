package io.tandem.softswitch.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.SipStackConfig;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.CSeq;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.SipUri;
import io.tandem.softswitch.sip.protection.ProtectionConfig;
import io.tandem.softswitch.sip.testing.SipTestClient;
import io.tandem.softswitch.sip.transaction.ClientTransaction;
import io.tandem.softswitch.sip.transaction.ClientTransactionListener;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stack on real sockets of 127.0.0.1. */
class SipStackSocketTest {
    final List<ServerTransaction> received = new CopyOnWriteArrayList<>();
    final List<Integer> bodySizes = new CopyOnWriteArrayList<>();
    SipStack stack;

    SipStack start(SipStackConfig config) {
        stack = SipStack.start(config, tx -> {
            received.add(tx);
            bodySizes.add(tx.request().body().length);
            tx.respond(tx.request().isInvite() ? 486 : 200);
        });
        return stack;
    }

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void optionsKeepAliveIsAnsweredOverUdpAndTcp() throws Exception {
        start(SipStackConfig.loopback());
        for (SipTestClient c : List.of(SipTestClient.udp(stack.localAddress(SipTransport.UDP)),
            SipTestClient.tcp(stack.localAddress(SipTransport.TCP)))) {
            try (c) {
                c.send(c.options("ka1"));
                SipResponse ok = (SipResponse) c.receive(2_000);
                assertThat(ok.status()).isEqualTo(200);
                assertThat(ok.header(HeaderName.ALLOW)).contains("INVITE");
                assertThat(ok.header(HeaderName.ACCEPT)).isEqualTo("application/sdp");
                assertThat(ok.topVia().branch()).isEqualTo("z9hG4bKka1");
                assertThat(ok.topVia().received()).as("RFC 3581 received").isEqualTo("127.0.0.1");
                assertThat(ok.topVia().rport()).as("RFC 3581 rport").isEqualTo(c.localPort());
            }
        }
        assertThat(stack.stats().statelessOptions()).isEqualTo(2);
    }

    /**
     * Issue #15 overload: the kernel gives all of one sender (a carrier's SBC, the load generator) to one socket of the
     * SO_REUSEPORT group, so one event loop read every datagram of it while the other waited for its hand-offs; with
     * the spread on, every socket reads its share of one sender's datagrams, and each is still answered.
     */
    @Test
    void oneSendersDatagramsAreReadByEverySocketWhenSpread() throws Exception {
        for (boolean spread : new boolean[] {false, true}) {
            start(SipStackConfig.loopback().withSpreadUdpReads(spread));
            try (SipTestClient c = SipTestClient.udp(stack.localAddress(SipTransport.UDP))) {
                for (int i = 0; i < 200; i++) {
                    c.send(c.options("spread" + spread + i));
                    assertThat(((SipResponse) c.receive(2_000)).status()).isEqualTo(200);
                }
            }
            long[] perSocket = stack.datagramsReadPerSocket();
            assertThat(perSocket).hasSize(2);
            assertThat(perSocket[0] + perSocket[1]).isEqualTo(200);
            if (spread) {
                assertThat(Math.min(perSocket[0], perSocket[1])).as("both sockets read a share").isGreaterThan(50);
            } else {
                assertThat(perSocket).as("the kernel's hash: one sender, one socket").contains(0L);
            }
            stack.close();
            stack = null;
        }
    }

    /**
     * The kernel queues what a UDP socket has not read yet up to its receive buffer and drops the rest: how large a
     * burst a node rides out is the operator's {@code tandem.sip.udp-receive-buffer}, granted up to
     * {@code net.core.rmem_max}, and a node granted less than it asked says how to get it.
     */
    @Test
    void eachUdpSocketQueuesWhatTheOperatorConfigured() {
        int[] granted = new int[2];
        int[] asked = {128 * 1024, 192 * 1024};
        for (int i = 0; i < asked.length; i++) {
            start(SipStackConfig.loopback().withUdpReceiveBuffer(asked[i]));
            int[] queues = stack.udpReceiveQueues();
            assertThat(queues).hasSize(2);
            assertThat(queues[0]).isEqualTo(queues[1]).isGreaterThanOrEqualTo(asked[i]);
            granted[i] = queues[0];
            stack.close();
            stack = null;
        }
        assertThat(granted[1]).isGreaterThan(granted[0]);
        assertThat(SipListeners.receiveBufferShortfall(5060, 32 << 20, 8 << 20))
            .contains("8192 KiB per socket, not the 32768 KiB configured").contains("sysctl -w net.core.rmem_max=33554432");
        assertThat(SipListeners.receiveBufferShortfall(5060, 4 << 20, 8 << 20)).isNull();
        assertThatThrownBy(() -> SipStackConfig.loopback().withUdpReceiveBuffer(1024))
            .hasMessage("UDP receive buffer must be 64 KiB to 1 GiB, not 1024 octets");
    }

    /**
     * A datagram is one whole message however large (RFC 3261 §18.1.1 lets a UDP request grow to the path MTU and
     * beyond; an INVITE with a rich SDP and a few Record-Routes passes 2 kB). Netty reads a datagram channel into
     * 2,048-byte buffers unless told otherwise: the rest was cut off and a well-formed INVITE refused as malformed.
     */
    @Test
    void aDatagramLargerThanTwoKilobytesIsReadWhole() throws Exception {
        start(SipStackConfig.loopback());
        try (SipTestClient c = SipTestClient.udp(stack.localAddress(SipTransport.UDP))) {
            StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\n");
            while (sdp.length() < 6_000) {
                sdp.append("a=x-filler:").append("f".repeat(60)).append("\r\n");
            }
            String invite = c.options("big1").replace("OPTIONS sip", "INVITE sip").replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE")
                .replace("Content-Length: 0\r\n\r\n", "Content-Type: application/sdp\r\nContent-Length: " + sdp.length()
                    + "\r\n\r\n" + sdp);
            assertThat(invite.length()).isGreaterThan(6_000);
            c.send(invite);
            assertThat(((SipResponse) c.receive(2_000)).status()).as("taken, not refused as malformed").isEqualTo(100);
            assertThat(((SipResponse) c.receive(2_000)).status()).isEqualTo(486);
            assertThat(bodySizes).as("the whole body arrived").containsExactly(sdp.length());
        }
    }

    @Test
    void inviteGetsTryingThenTheAnswerAndErrorsAreAckedOverUdp() throws Exception {
        start(SipStackConfig.loopback());
        try (SipTestClient c = SipTestClient.udp(stack.localAddress(SipTransport.UDP))) {
            String invite = c.options("inv1").replace("OPTIONS sip", "INVITE sip").replace("CSeq: 1 OPTIONS",
                "CSeq: 1 INVITE");
            c.send(invite);
            assertThat(((SipResponse) c.receive(2_000)).status()).isEqualTo(100);
            SipResponse busy = (SipResponse) c.receive(2_000);
            assertThat(busy.status()).isEqualTo(486);
            assertThat(busy.to().tag()).isNotBlank();
            c.send(invite);
            assertThat(((SipResponse) c.receive(2_000)).status()).as("retransmitted INVITE gets the final again")
                .isEqualTo(486);
            assertThat(received).hasSize(1);
        }
    }

    @Test
    void clientTransactionsWorkBetweenTwoStacksOverUdpAndTcp() throws Exception {
        start(SipStackConfig.loopback());
        try (SipStack caller = SipStack.start(SipStackConfig.loopback(), tx -> tx.respond(500))) {
            for (SipTransport t : List.of(SipTransport.UDP, SipTransport.TCP)) {
                BlockingQueue<Object> events = new LinkedBlockingQueue<>();
                String callId = "c2s-" + t;
                SipRequest invite = SipRequest.builder("INVITE", SipUri.parse("sip:+4930123456@127.0.0.1"))
                    .via(caller.newVia(t))
                    .from(Address.parse("<sip:caller@127.0.0.1>").withTag(caller.newTag()))
                    .to(Address.parse("<sip:+4930123456@127.0.0.1>"))
                    .callId(callId).cseq(new CSeq(1, "INVITE")).maxForwards(70).build();
                SipDestination to = new SipDestination(t, "127.0.0.1", stack.localAddress(t).getPort());
                caller.sendRequest(invite, to, new ClientTransactionListener() {
                    @Override
                    public void onResponse(ClientTransaction tx, SipResponse r) {
                        events.add(r.status());
                    }

                    @Override
                    public void onTimeout(ClientTransaction tx) {
                        events.add("timeout");
                    }
                });
                assertThat(events.poll(2, TimeUnit.SECONDS)).isEqualTo(100);
                assertThat(events.poll(2, TimeUnit.SECONDS)).isEqualTo(486);
            }
        }
        assertThat(received).hasSize(2);
    }

    @Test
    void answerForAClosedTcpConnectionGoesToTheViaPortOnANewOne() throws Exception {
        BlockingQueue<ServerTransaction> pending = new LinkedBlockingQueue<>();
        stack = SipStack.start(SipStackConfig.loopback(), pending::add);
        try (java.net.ServerSocket back = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            back.setSoTimeout(3_000);
            ServerTransaction message;
            try (SipTestClient c = SipTestClient.tcp(stack.localAddress(SipTransport.TCP))) {
                c.send(c.options("back").replace("OPTIONS sip", "MESSAGE sip").replace("CSeq: 1 OPTIONS", "CSeq: 1 MESSAGE")
                    .replace("127.0.0.1:" + c.localPort() + ";", "127.0.0.1:" + back.getLocalPort() + ";"));
                message = pending.poll(2, TimeUnit.SECONDS);
                assertThat(message).isNotNull();
            }
            Thread.sleep(200);
            message.respond(200);
            try (java.net.Socket s = back.accept()) {
                s.setSoTimeout(3_000);
                byte[] head = new byte[12];
                int n = s.getInputStream().readNBytes(head, 0, head.length);
                assertThat(new String(head, 0, n, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("SIP/2.0 200 ");
            }
        }
    }

    @Test
    void requestsToAClientReuseTheConnectionItOpened() throws Exception {
        start(SipStackConfig.loopback());
        try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             SipTestClient c = SipTestClient.tcp(stack.localAddress(SipTransport.TCP))) {
            int port = listening.getLocalPort();
            c.send(c.options("alias").replace("127.0.0.1:" + c.localPort() + ";", "127.0.0.1:" + port + ";"));
            assertThat(((SipResponse) c.receive(2_000)).status()).isEqualTo(200);
            SipRequest message = SipRequest.builder("MESSAGE", SipUri.parse("sip:client@127.0.0.1:" + port))
                .via(stack.newVia(SipTransport.TCP))
                .from(Address.parse("<sip:switch@127.0.0.1>").withTag(stack.newTag()))
                .to(Address.parse("<sip:client@127.0.0.1>"))
                .callId("alias-1").cseq(new CSeq(1, "MESSAGE")).maxForwards(70).build();
            stack.sendRequest(message, SipDestination.tcp("127.0.0.1", port), new ClientTransactionListener() {
                @Override
                public void onResponse(ClientTransaction tx, SipResponse r) {
                }

                @Override
                public void onTimeout(ClientTransaction tx) {
                }
            });
            SipMessage got = c.receive(2_000);
            assertThat(got).as("the request came over the client's own connection").isInstanceOf(SipRequest.class);
            assertThat(((SipRequest) got).method()).isEqualTo("MESSAGE");
        }
    }

    @Test
    void connectionsBeyondTheNodesTotalCapAreClosed() throws Exception {
        start(SipStackConfig.loopback().withConnectionLimits(64, Duration.ofMinutes(1)).withMaxConnections(2));
        try (SipTestClient a = SipTestClient.tcp(stack.localAddress(SipTransport.TCP));
             SipTestClient b = SipTestClient.tcp(stack.localAddress(SipTransport.TCP));
             SipTestClient c = SipTestClient.tcp(stack.localAddress(SipTransport.TCP))) {
            assertThat(c.closedByServer(2_000)).isTrue();
            b.send(b.options("total-cap"));
            assertThat(((SipResponse) b.receive(2_000)).status()).isEqualTo(200);
        }
        assertThat(stack.stats().connectionsRefused()).isEqualTo(1);
    }

    @Test
    void connectionsBeyondThePerAddressCapAreClosed() throws Exception {
        start(SipStackConfig.loopback().withConnectionLimits(2, Duration.ofMinutes(1)));
        try (SipTestClient a = SipTestClient.tcp(stack.localAddress(SipTransport.TCP));
             SipTestClient b = SipTestClient.tcp(stack.localAddress(SipTransport.TCP));
             SipTestClient c = SipTestClient.tcp(stack.localAddress(SipTransport.TCP))) {
            assertThat(c.closedByServer(2_000)).isTrue();
            a.send(a.options("cap"));
            assertThat(((SipResponse) a.receive(2_000)).status()).isEqualTo(200);
            assertThat(b.closedByServer(200)).isFalse();
        }
        assertThat(stack.stats().connectionsRefused()).isEqualTo(1);
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        start(SipStackConfig.loopback().withConnectionLimits(8, Duration.ofMillis(300)));
        try (SipTestClient c = SipTestClient.tcp(stack.localAddress(SipTransport.TCP))) {
            assertThat(c.closedByServer(3_000)).isTrue();
        }
    }

    @Test
    void aFloodingSourceIsBannedAndThenCostsNothing() throws Exception {
        ProtectionConfig strict = new ProtectionConfig(true, 5, 5, Duration.ofMinutes(1), List.of(), true,
            ProtectionConfig.KNOWN_SCANNERS, 1000);
        start(SipStackConfig.loopback().withProtection(strict));
        try (SipTestClient c = SipTestClient.udp(stack.localAddress(SipTransport.UDP))) {
            for (int i = 0; i < 30; i++) {
                c.send(c.options("fl" + i));
            }
            int answers = 0;
            while (c.receive(500) != null) {
                answers++;
            }
            assertThat(answers).isBetween(5, 6);
        }
        assertThat(stack.stats().bans()).isEqualTo(1);
        assertThat(stack.stats().floodDropped()).isGreaterThanOrEqualTo(24);
    }

    @Test
    void scannersGetNoAnswer() throws Exception {
        start(SipStackConfig.loopback());
        try (SipTestClient c = SipTestClient.udp(stack.localAddress(SipTransport.UDP))) {
            c.send(c.options("sc").replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nUser-Agent: friendly-scanner\r\n"));
            SipMessage answer = c.receive(500);
            assertThat(answer).isNull();
        }
        assertThat(stack.stats().scannersDropped()).isEqualTo(1);
    }

    /** One spoofed datagram naming a scanner must not cut its (forged) source off: the next honest request is answered. */
    @Test
    void aScannerUserAgentAloneNeverBansItsSource() throws Exception {
        start(SipStackConfig.loopback().withProtection(ProtectionConfig.defaults().withAllowList(List.of())));
        try (SipTestClient c = SipTestClient.udp(stack.localAddress(SipTransport.UDP))) {
            c.send(c.options("sc").replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nUser-Agent: friendly-scanner\r\n"));
            assertThat(c.receive(300)).isNull();
            c.send(c.options("honest"));
            assertThat(c.receive(2000)).as("answered after a scanner-looking datagram from the same address").isNotNull();
        }
        assertThat(stack.stats().bans()).isZero();
    }
}
