package io.tandem.softswitch.sip.transport;

import io.tandem.softswitch.sip.codec.SipTransport;
import java.net.InetSocketAddress;

/**
 * One SIP message as it crossed a socket of this node.
 *
 * @param epochMicros when it was read or written, microseconds since the epoch
 * @param direction   read by this node ({@code IN}) or written by it ({@code OUT})
 * @param local       this node's socket address
 * @param remote      the peer's address: where it came from or where it went
 * @param sipCallId   its Call-ID header (RFC 3261 §8.1.1.4), {@code ""} when it has none
 * @param octets      the message as on the wire; never written to
 */
public record WireMessage(long epochMicros, Direction direction, SipTransport transport, InetSocketAddress local,
                          InetSocketAddress remote, String sipCallId, byte[] octets) {

    public enum Direction { IN, OUT }
}
