package io.tandem.softswitch.sip.codec;

import io.netty.channel.socket.DatagramPacket;

/**
 * A datagram holding a new INVITE that the overload budget admitted when it was read, before it was parsed
 * (see {@code OverloadEdge}): {@link SipDatagramDecoder} marks its message {@link SipInbound.Message#admitted()}.
 * It takes over the content of the datagram it replaces (the same reference, not retained again).
 */
public final class AdmittedDatagram extends DatagramPacket {
    public AdmittedDatagram(DatagramPacket read) {
        super(read.content(), read.recipient(), read.sender());
    }
}
