package io.tandem.softswitch.sip.codec;

import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipParseFailure;
import java.net.InetSocketAddress;

/** What the decoders pass up the pipeline: a message or a failed decode, with where it came from. */
public sealed interface SipInbound {

    InetSocketAddress sender();

    SipTransport transport();

    /**
     * @param admitted a new INVITE the overload budget admitted when its datagram was read, before it was parsed
     *                 ({@link AdmittedDatagram}); the transaction layer does not ask the budget again
     */
    record Message(SipMessage message, InetSocketAddress sender, SipTransport transport, boolean admitted) implements SipInbound {
        public Message(SipMessage message, InetSocketAddress sender, SipTransport transport) {
            this(message, sender, transport, false);
        }
    }

    /**
     * @param fatal the stream can no longer be framed; close the connection after answering
     */
    record Malformed(SipParseFailure failure, InetSocketAddress sender, SipTransport transport, boolean fatal)
        implements SipInbound {
    }
}
