package io.tandem.softswitch.sip.message;

/**
 * What a transport writes: the octets of one SIP message, either a parsed {@link SipMessage} or a
 * {@link SentMessage} kept only to be sent again.
 */
public sealed interface SipOctets permits SipMessage, SentMessage {

    /** Octets of the whole message on the wire. */
    int encodedLength();

    /** Writes the message as it is on the wire. */
    void writeTo(ByteSink sink);

    /**
     * The octets on the wire as one array: the message's own when it holds exactly that (a decoded
     * datagram or stream message, a built message, kept octets), else a copy. Never write to it.
     */
    byte[] wireOctets();
}
