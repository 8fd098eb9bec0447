package io.tandem.softswitch.capture;

import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.transport.WireMessage;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One captured message as a HEP version 3 packet (the Homer Encapsulation Protocol of sipcapture.org):
 * {@code "HEP3"}, the total length, then chunks of vendor id, type id, length (header included) and
 * value, all in network order. Chunks of the generic vendor (0) written here: 1 address family,
 * 2 IP protocol, 3/4 IPv4 or 5/6 IPv6 source and destination, 7/8 ports, 9/10 seconds and
 * microseconds, 11 protocol type (1 = SIP), 12 capture agent id, 14 auth key (when set),
 * 15 the SIP message, 17 correlation id (the Call-ID).
 */
public final class HepEncoder {

    /** Largest UDP payload the export sends; bigger messages are skipped and counted by the exporter. */
    public static final int MAX_PACKET = 65_507;

    private final int captureId;
    private final byte[] password;

    /** @param password the collector's auth key, or null/empty for none */
    public HepEncoder(int captureId, String password) {
        this.captureId = captureId;
        this.password = password == null || password.isEmpty() ? null : password.getBytes(StandardCharsets.UTF_8);
    }

    /** The packet, or null when it would exceed {@link #MAX_PACKET}. */
    public byte[] encode(WireMessage m) {
        boolean out = m.direction() == WireMessage.Direction.OUT;
        InetSocketAddress src = out ? m.local() : m.remote();
        InetSocketAddress dst = out ? m.remote() : m.local();
        InetAddress srcIp = address(src);
        InetAddress dstIp = address(dst);
        boolean v4 = srcIp instanceof Inet4Address && dstIp instanceof Inet4Address;
        byte[] s = v4 ? srcIp.getAddress() : v6(srcIp);
        byte[] d = v4 ? dstIp.getAddress() : v6(dstIp);
        byte[] callId = m.sipCallId().getBytes(StandardCharsets.UTF_8);
        int size = 6 + 7 + 7 + (6 + s.length) + (6 + d.length) + 8 + 8 + 10 + 10 + 7 + 10
            + (password == null ? 0 : 6 + password.length) + 6 + m.octets().length + 6 + callId.length;
        if (size > MAX_PACKET) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put((byte) 'H').put((byte) 'E').put((byte) 'P').put((byte) '3').putShort((short) size);
        chunk8(b, 0x0001, v4 ? 2 : 10);
        chunk8(b, 0x0002, m.transport() == SipTransport.UDP ? 17 : 6);
        chunk(b, v4 ? 0x0003 : 0x0005, s);
        chunk(b, v4 ? 0x0004 : 0x0006, d);
        chunk16(b, 0x0007, src == null ? 0 : src.getPort());
        chunk16(b, 0x0008, dst == null ? 0 : dst.getPort());
        chunk32(b, 0x0009, (int) (m.epochMicros() / 1_000_000));
        chunk32(b, 0x000a, (int) (m.epochMicros() % 1_000_000));
        chunk8(b, 0x000b, 1);
        chunk32(b, 0x000c, captureId);
        if (password != null) {
            chunk(b, 0x000e, password);
        }
        chunk(b, 0x000f, m.octets());
        chunk(b, 0x0011, callId);
        return b.array();
    }

    private static InetAddress address(InetSocketAddress a) {
        return a == null || a.getAddress() == null ? InetAddress.getLoopbackAddress() : a.getAddress();
    }

    private static byte[] v6(InetAddress a) {
        byte[] raw = a.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static void header(ByteBuffer b, int type, int valueLength) {
        b.putShort((short) 0).putShort((short) type).putShort((short) (6 + valueLength));
    }

    private static void chunk8(ByteBuffer b, int type, int v) {
        header(b, type, 1);
        b.put((byte) v);
    }

    private static void chunk16(ByteBuffer b, int type, int v) {
        header(b, type, 2);
        b.putShort((short) v);
    }

    private static void chunk32(ByteBuffer b, int type, int v) {
        header(b, type, 4);
        b.putInt(v);
    }

    private static void chunk(ByteBuffer b, int type, byte[] v) {
        header(b, type, v.length);
        b.put(v);
    }
}
