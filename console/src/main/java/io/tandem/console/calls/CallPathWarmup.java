package io.tandem.console.calls;

import io.tandem.routing.RouteTable;
import io.tandem.softswitch.sip.message.RequestHead;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the code every call goes through, on loopback and without touching the database, so that
 * the JIT has compiled it before the first customer's call arrives: SIP parsing and encoding of a
 * carrier INVITE and its answers, route and rate lookups on the live route table for every trunk,
 * and OPTIONS and INVITE transactions sent to the node's own UDP listener (answered {@code 503}
 * while warming up: Netty's receive and send paths, the transaction layer, the call engine's
 * refusal), and the overload refusal made from a glance at an INVITE ({@link RequestHead}). While
 * it runs the node is not ready (see {@link CallPathReadiness}).
 */
public final class CallPathWarmup {

    private static final Logger log = LoggerFactory.getLogger(CallPathWarmup.class);

    /** What a warm-up did. */
    public record Result(long parsed, long routed, long overTheWire, Duration took) {
    }

    private final Supplier<RouteTable> routes;
    private final InetSocketAddress sipListener;

    public CallPathWarmup(Supplier<RouteTable> routes, InetSocketAddress sipListener) {
        this.routes = routes;
        this.sipListener = sipListener;
    }

    public Result run(Duration duration) {
        long started = System.nanoTime();
        long deadline = started + duration.toNanos();
        SplittableRandom random = new SplittableRandom(20261206);
        long parsed = 0;
        long routed = 0;
        long overTheWire = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(200);
            ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
            int round = 0;
            while (System.nanoTime() < deadline) {
                RouteTable table = routes.get();
                List<Long> trunks = table.trunkIds().stream().limit(16).toList();
                for (int i = 0; i < 200; i++) {
                    parseAndAnswer(invite(random, socket.getLocalPort()), out);
                    parsed++;
                    if (route(table, trunks, random)) {
                        routed++;
                    }
                }
                if (round++ % 4 == 0) {
                    overTheWire += exchange(socket, random);
                }
            }
        } catch (IOException e) {
            log.warn("Warm-up over loopback stopped early: {}", e.toString());
        }
        return new Result(parsed, routed, overTheWire, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Where the warm-up's overload refusals pretend their INVITEs came from. */
    private static final InetSocketAddress REFUSED_SOURCE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5061);

    /**
     * Parses the INVITE as the decoder does, then writes its 100, 180 and 200 and a copy of it as the encoder does;
     * and refuses it as an overloaded node does, from a glance without a parse, and glances at the ACK of that
     * refusal (so a node's first overload finds its refusal path compiled).
     */
    private static void parseAndAnswer(byte[] wire, ByteArrayOutputStream out) {
        RequestHead head = RequestHead.glance(wire, 0, wire.length);
        if (head == null || head.serverKey() == null) {
            throw new IllegalStateException("the warm-up's own INVITE is not in the plain form an overloaded node glances at");
        }
        byte[] refusal = head.statelessResponse(503, "Service Unavailable", "ovlwarmup", REFUSED_SOURCE, "Retry-After", "2");
        byte[] ack = ackFor(wire, new String(refusal, StandardCharsets.ISO_8859_1));
        RequestHead ackHead = RequestHead.glance(ack, 0, ack.length);
        if (ackHead == null || !"ovlwarmup".equals(ackHead.toTag())) {
            throw new IllegalStateException("the warm-up's ACK of an overload refusal does not show its To tag");
        }
        SipParseResult result = SipParser.parse(wire, 0, wire.length);
        if (!(result instanceof SipParseResult.Parsed parsed) || !(parsed.message() instanceof SipRequest invite)) {
            throw new IllegalStateException("the warm-up's own INVITE does not parse: " + result);
        }
        for (int status : new int[] {100, 180, 200}) {
            SipResponse response = invite.createResponse(status).toTag("wt").build();
            out.reset();
            response.writeTo(out::write);
        }
        out.reset();
        invite.copy().build().writeTo(out::write);
    }

    /** A route lookup on the live table for one of the given trunks; false when there is no trunk. */
    private static boolean route(RouteTable table, List<Long> trunks, SplittableRandom random) {
        if (trunks.isEmpty()) {
            return false;
        }
        long trunk = trunks.get(random.nextInt(trunks.size()));
        table.route(trunk, number(random), "4930" + random.nextInt(1_000_000, 9_999_999), Instant.now());
        return true;
    }

    /** One OPTIONS and one INVITE (answered 503 while warming; the INVITE's answer is ACKed). */
    private long exchange(DatagramSocket socket, SplittableRandom random) throws IOException {
        long answered = 0;
        byte[] buffer = new byte[4096];
        byte[] options = options(random, socket.getLocalPort());
        socket.send(new DatagramPacket(options, options.length, sipListener));
        answered += receive(socket, buffer) != null ? 1 : 0;
        byte[] invite = invite(random, socket.getLocalPort());
        socket.send(new DatagramPacket(invite, invite.length, sipListener));
        for (int i = 0; i < 3; i++) {
            String answer = receive(socket, buffer);
            if (answer == null) {
                break;
            }
            if (answer.startsWith("SIP/2.0 1")) {
                continue;
            }
            byte[] ack = ackFor(invite, answer);
            socket.send(new DatagramPacket(ack, ack.length, sipListener));
            answered++;
            break;
        }
        return answered;
    }

    private static String receive(DatagramSocket socket, byte[] buffer) throws IOException {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
            return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private static String number(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> "44" + random.nextLong(1_000_000_000L, 9_999_999_999L);
            case 1 -> "1" + random.nextLong(2_000_000_000L, 9_999_999_999L);
            case 2 -> "49" + random.nextLong(100_000_000L, 999_999_999L);
            default -> Long.toString(random.nextLong(10_000_000_000L, 99_999_999_999L));
        };
    }

    private byte[] invite(SplittableRandom random, int localPort) {
        String branch = "z9hG4bK-warmup-" + Long.toHexString(random.nextLong());
        String callId = "warmup-" + Long.toHexString(random.nextLong()) + "@127.0.0.1";
        String sdp = "v=0\r\no=warmup 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";
        String target = number(random);
        return ("INVITE sip:" + target + "@" + host() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Warm-up\" <sip:4930123456@127.0.0.1>;tag=" + Long.toHexString(random.nextLong()) + "\r\n"
                + "To: <sip:" + target + "@" + host() + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:warmup@127.0.0.1:" + localPort + ">\r\n"
                + "User-Agent: tandem-warmup\r\n"
                + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n"
                + "Supported: timer\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] options(SplittableRandom random, int localPort) {
        return ("OPTIONS sip:" + host() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=z9hG4bK-warmup-" + Long.toHexString(random.nextLong()) + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:warmup@127.0.0.1>;tag=" + Long.toHexString(random.nextLong()) + "\r\n"
                + "To: <sip:" + host() + ">\r\n"
                + "Call-ID: warmup-options-" + Long.toHexString(random.nextLong()) + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The ACK for a non-2xx final answer (RFC 3261 §17.1.1.3): the INVITE's Via, From, Call-ID; the answer's To. */
    private static byte[] ackFor(byte[] inviteWire, String answer) {
        String invite = new String(inviteWire, StandardCharsets.UTF_8);
        String requestLine = invite.substring(0, invite.indexOf("\r\n")).replace("INVITE ", "ACK ");
        StringBuilder ack = new StringBuilder(requestLine).append("\r\n");
        for (String header : List.of("Via:", "From:", "Call-ID:")) {
            ack.append(headerLine(invite, header)).append("\r\n");
        }
        ack.append(headerLine(answer, "To:")).append("\r\n");
        ack.append("Max-Forwards: 70\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
        return ack.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String headerLine(String message, String name) {
        int start = message.indexOf("\r\n" + name) + 2;
        return message.substring(start, message.indexOf("\r\n", start));
    }

    private String host() {
        return sipListener.getAddress().getHostAddress() + ":" + sipListener.getPort();
    }
}
