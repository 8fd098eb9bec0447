package io.tandem.softswitch.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.SipStackConfig;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.testing.SipTestClient;
import io.tandem.softswitch.sip.transaction.FirstLook;
import io.tandem.softswitch.sip.transaction.ServerTransaction;
import io.tandem.softswitch.sip.transaction.SipRequestHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Datagrams are decoded on their Call-ID's event loop, whichever socket read them. */
class CallIdDispatchTest {
    SipStack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static ByteBuf bytes(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String request(String callIdLine) {
        return "INVITE sip:1@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKx1\r\n"
            + "From: <sip:a@127.0.0.1>;tag=f1\r\n"
            + "To: <sip:1@127.0.0.1>\r\n"
            + callIdLine
            + "CSeq: 1 INVITE\r\n"
            + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void theScanFindsTheCallIdTheParserFindsInEveryForm() throws Exception {
        for (String line : new String[] {"Call-ID: abc-123@host\r\n", "call-id:abc-123@host\r\n",
            "CALL-ID \t:  abc-123@host  \r\n", "i: abc-123@host\r\n", "I:abc-123@host\t\r\n"}) {
            String text = request(line);
            byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
            SipMessage parsed = ((SipParseResult.Parsed) SipParser.parse(b, 0, b.length)).message();
            assertThat(CallIdDispatch.callIdHash(bytes(text))).as(line)
                .isEqualTo(parsed.callId().hashCode() & 0xffffffffL)
                .isEqualTo("abc-123@host".hashCode() & 0xffffffffL);
        }
    }

    @Test
    void aMessageWithoutCallIdOrWithItOnlyInTheBodyIsNotFound() {
        assertThat(CallIdDispatch.callIdHash(bytes(request("")))).isEqualTo(-1);
        String inBody = request("").replace("Content-Length: 0\r\n\r\n", "Content-Length: 20\r\n\r\nCall-ID: in-the-body\r\n");
        assertThat(CallIdDispatch.callIdHash(bytes(inBody))).isEqualTo(-1);
        assertThat(CallIdDispatch.callIdHash(bytes("\r\n\r\n"))).as("a keep-alive").isEqualTo(-1);
        assertThat(CallIdDispatch.callIdHash(bytes(request("Call-Info: <http://x>\r\ni-x: y\r\nCall-ID:\r\n"))))
            .as("look-alike headers and an empty value").isEqualTo(-1);
        assertThat(CallIdDispatch.callIdHash(bytes(request("Call-IDx: abc\r\n")))).isEqualTo(-1);
    }

    @Test
    void everyRequestFromOneSourceIsDecodedOnItsCallIdsLoop() throws Exception {
        // One client = one 4-tuple = one of the two SO_REUSEPORT sockets. Before the hand-off the loop of that
        // socket took the first look at every request (decode, screening, shedding), also for the Call-IDs of
        // the other loop; now each request is decoded where its transaction runs.
        Map<String, String> firstLookThread = new ConcurrentHashMap<>();
        Map<String, String> transactionThread = new ConcurrentHashMap<>();
        stack = SipStack.start(SipStackConfig.loopback(), new SipRequestHandler() {
            @Override
            public FirstLook firstLook(SipRequest request, InetSocketAddress source) {
                firstLookThread.put(request.callId(), Thread.currentThread().getName());
                return FirstLook.TRANSACTION;
            }

            @Override
            public void onRequest(ServerTransaction tx) {
                transactionThread.put(tx.request().callId(), Thread.currentThread().getName());
                tx.respond(486);
            }
        });
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(),
            "one UDP socket without epoll: nothing to hand off");
        try (SipTestClient c = SipTestClient.udp(stack.localAddress(SipTransport.UDP))) {
            for (int i = 0; i < 40; i++) {
                String invite = c.options("d" + i).replace("OPTIONS sip", "INVITE sip").replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE");
                c.send(invite);
                SipResponse r;
                do {
                    r = (SipResponse) c.receive(2_000);
                } while (r.status() == 100);
                assertThat(r.status()).isEqualTo(486);
            }
        }
        assertThat(firstLookThread).hasSize(40);
        assertThat(Set.copyOf(transactionThread.values())).as("the Call-IDs spread over both loops").hasSize(2);
        assertThat(firstLookThread).isEqualTo(transactionThread);
        assertThat(stack.datagramsHandedOffAndKept()[0]).isPositive();
    }
}
