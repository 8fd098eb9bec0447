package io.tandem.softswitch.capture;

import io.tandem.softswitch.call.CallEvent;
import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.transport.WireMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Messages and call events as the wire tap and the call engine would give them. */
final class CaptureFixtures {
    static final InetSocketAddress SWITCH = new InetSocketAddress("127.0.0.1", 5060);
    static final InetSocketAddress CUSTOMER = new InetSocketAddress("127.0.0.1", 5071);
    static final InetSocketAddress VENDOR = new InetSocketAddress("127.0.0.1", 5072);

    private CaptureFixtures() {
    }

    static WireMessage message(long epochMicros, WireMessage.Direction direction, InetSocketAddress remote, String callId,
                               String startLine) {
        String text = startLine + "\r\nVia: SIP/2.0/UDP " + remote.getHostString() + ":" + remote.getPort() + ";branch=z9hG4bK-" + epochMicros
            + "\r\nCall-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        return new WireMessage(epochMicros, direction, SipTransport.UDP, SWITCH, remote, callId, text.getBytes(StandardCharsets.US_ASCII));
    }

    static CallEvent.Started started(UUID id, String customerCallId) {
        return new CallEvent.Started(id, new CallFacts(id, customerCallId, null, CUSTOMER, "caller", "callee", Instant.EPOCH, 0));
    }
}
