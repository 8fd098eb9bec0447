package io.tandem.softswitch.media.relay;

import io.netty.buffer.ByteBuf;

/**
 * Reads the fixed RTP header (RFC 3550 §5.1) in place, without copying or allocating: the relay
 * looks at version, SSRC, sequence number and timestamp and never at the payload, so SRTP (RFC
 * 3711 keeps this header in the clear) and RFC 4733 events pass through untouched.
 */
final class RtpHeader {

    static final int FIXED_LENGTH = 12;

    private RtpHeader() {
    }

    /** Version 2 and at least the fixed header: anything else is not RTP and is dropped. */
    static boolean plausible(ByteBuf packet) {
        return packet.readableBytes() >= FIXED_LENGTH && (packet.getUnsignedByte(packet.readerIndex()) >> 6) == 2;
    }

    /**
     * RTCP sent on the RTP port (rtcp-mux): RFC 5761 §4 tells them apart by the second octet, whose
     * RTCP packet types 200–204 fall in 192–223 where no dynamic RTP payload type with marker lands.
     */
    static boolean rtcp(ByteBuf packet) {
        int second = packet.getUnsignedByte(packet.readerIndex() + 1);
        return second >= 192 && second <= 223;
    }

    static int sequence(ByteBuf packet) {
        return packet.getUnsignedShort(packet.readerIndex() + 2);
    }

    static long timestamp(ByteBuf packet) {
        return packet.getUnsignedInt(packet.readerIndex() + 4);
    }

    static int ssrc(ByteBuf packet) {
        return packet.getInt(packet.readerIndex() + 8);
    }
}
