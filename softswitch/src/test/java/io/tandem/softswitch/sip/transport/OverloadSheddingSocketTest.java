package io.tandem.softswitch.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.SipStackConfig;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.protection.OverloadConfig;
import io.tandem.softswitch.sip.testing.SipTestClient;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Overload shedding on real sockets and real event loops: one of the stack's two loops is kept busy
 * (150 ms tasks back to back, like a node whose calls need more CPU than it has), INVITEs keep
 * arriving over UDP, and the excess is answered 503 with Retry-After, never left unanswered; once the
 * loop is free again a new INVITE is taken. Whichever loop reads the test's socket (the busy one reads only
 * between its tasks, then a whole burst at once), the first check after the stall sees a lag far past the
 * limit, which confirms the overload at once: the shedder does not need three well-spaced checks.
 */
class OverloadSheddingSocketTest {

    @Test
    void whileALoopStaysBusyTheExcessGets503WithRetryAfterAndCallsAreTakenAgainAfterwards() throws Exception {
        AtomicInteger taken = new AtomicInteger();
        SipStackConfig config = SipStackConfig.loopback().withOverload(OverloadConfig.defaults());
        try (SipStack stack = SipStack.start(config, tx -> {
                taken.incrementAndGet();
                tx.respond(486);
            });
             SipTestClient client = SipTestClient.udp(stack.localAddress(SipTransport.UDP))) {
            TransactionExecutor busyLoop = stack.executorFor("busy-loop");
            long busyUntil = System.nanoTime() + 1_200_000_000L;
            keepBusy(busyLoop, busyUntil);

            int sent = 0;
            while (System.nanoTime() < busyUntil - 100_000_000L) {
                client.send(invite(client, "load-" + sent++));
                Thread.sleep(5);
            }
            Map<String, Integer> finals = collectFinals(client, sent);
            // A real client retransmits an INVITE that got no answer (RFC 3261 Timer A): a stateless 503 is sent
            // once, and on loopback the test's socket can drop it among the 486s' retransmissions.
            int resent = 0;
            for (int round = 0; round < 3 && finals.size() < sent; round++) {
                int missing = 0;
                for (int i = 0; i < sent; i++) {
                    if (!finals.containsKey("load-" + i + "@127.0.0.1")) {
                        client.send(invite(client, "load-" + i));
                        missing++;
                    }
                }
                resent += missing;
                collectFinals(client, missing).forEach(finals::putIfAbsent);
            }
            long shed = finals.values().stream().filter(status -> status == 503).count();
            assertThat(shed).as("INVITEs shed while the loop stayed busy, of " + sent).isPositive();
            assertThat(finals).as("every INVITE got an answer: taken (486) or shed (503)").hasSize(sent);
            // a resent INVITE whose 503 was lost is answered again: shed once more, or taken once the loop is free
            assertThat(stack.transactions().counters().shed()).isBetween(shed, shed + resent);

            while (System.nanoTime() < busyUntil + 400_000_000L) {
                Thread.sleep(20);
            }
            // A shed caller retries after the Retry-After it was given, as a new call: taken at the first or second try.
            Map<String, Integer> later = new HashMap<>();
            Integer afterStatus = null;
            for (int attempt = 0; attempt < 2 && !Integer.valueOf(486).equals(afterStatus); attempt++) {
                if (attempt > 0) {
                    Thread.sleep(2_000);
                }
                String id = "after-" + attempt;
                client.send(invite(client, id));
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!later.containsKey(id + "@127.0.0.1") && System.nanoTime() < deadline) {
                    later.putAll(collectFinals(client, 1));
                }
                afterStatus = later.get(id + "@127.0.0.1");
            }
            assertThat(afterStatus).as("a new INVITE once the loop is free, retried after Retry-After if shed").isEqualTo(486);
        }
    }

    /**
     * Runs 150 ms tasks one after another on {@code loop} until {@code until}: other tasks wait behind each, so
     * the loop's probe runs about 140 ms late, far past the 50 ms threshold even on an idle machine (60 ms
     * tasks made it about 50 ms late: on a quiet box nothing was shed).
     */
    private static void keepBusy(TransactionExecutor loop, long until) {
        loop.execute(() -> {
            if (System.nanoTime() >= until) {
                return;
            }
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            keepBusy(loop, until);
        });
    }

    /**
     * The first final status per Call-ID of what arrives, until {@code expected} Call-IDs have one or 5 s
     * passed (the 486s are retransmitted, RFC 3261 Timer G, since the test never ACKs them).
     */
    private static Map<String, Integer> collectFinals(SipTestClient client, int expected) throws Exception {
        Map<String, Integer> finals = new HashMap<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (finals.size() < expected && System.nanoTime() < deadline) {
            if (client.receive(200) instanceof SipResponse r && r.status() >= 200) {
                if (r.status() == 503) {
                    assertThat(r.header(HeaderName.RETRY_AFTER)).isEqualTo("2");
                }
                finals.putIfAbsent(r.callId(), r.status());
            }
        }
        return finals;
    }

    private static String invite(SipTestClient c, String id) {
        return "INVITE sip:442079460001@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:" + c.localPort() + ";branch=z9hG4bK-" + id + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:14155550100@127.0.0.1>;tag=c-" + id + "\r\n"
            + "To: <sip:442079460001@127.0.0.1>\r\n"
            + "Call-ID: " + id + "@127.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:14155550100@127.0.0.1:" + c.localPort() + ">\r\n"
            + "Content-Length: 0\r\n\r\n";
    }
}
