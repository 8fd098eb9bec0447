package io.tandem.softswitch.sip.transport;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.tandem.softswitch.sip.codec.SipInbound;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipOctets;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

/**
 * Hands every decoded inbound message and every outbound {@link SipOctets} to a {@link WireTap}: its
 * wire octets (the message's own immutable array, not a copy), the time, transport and addresses.
 * Sits between the codec and the inbound handler, so it sees messages after the flood and scanner
 * filters (dropped floods are not captured) and writes before they are encoded.
 * One instance per transport, shared by all channels of it.
 */
@ChannelHandler.Sharable
final class WireTapHandler extends ChannelDuplexHandler {
    private final WireTap tap;
    private final SipTransport transport;
    private final Clock clock;

    WireTapHandler(WireTap tap, SipTransport transport, Clock clock) {
        this.tap = tap;
        this.transport = transport;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SipInbound.Message m && tap.enabled()) {
            SipMessage message = m.message();
            tap.accept(new WireMessage(nowMicros(), WireMessage.Direction.IN, transport, local(ctx), m.sender(),
                orEmpty(message.callId()), message.wireOctets()));
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (tap.enabled()) {
            if (msg instanceof SipOctets octets) {
                tapOut(ctx, octets, inet(ctx.channel().remoteAddress()));
            } else if (msg instanceof AddressedEnvelope<?, ?> e && e.content() instanceof SipOctets octets) {
                tapOut(ctx, octets, inet(e.recipient()));
            }
        }
        ctx.write(msg, promise);
    }

    private void tapOut(ChannelHandlerContext ctx, SipOctets octets, InetSocketAddress remote) {
        byte[] bytes = octets.wireOctets();
        String callId = octets instanceof SipMessage m ? orEmpty(m.callId()) : callIdOf(bytes);
        tap.accept(new WireMessage(nowMicros(), WireMessage.Direction.OUT, transport, local(ctx), remote, callId, bytes));
    }

    private long nowMicros() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static InetSocketAddress local(ChannelHandlerContext ctx) {
        return inet(ctx.channel().localAddress());
    }

    /** An IP socket address, or null for any other kind (an embedded or local channel's): never a cast failure in the pipeline. */
    private static InetSocketAddress inet(Object address) {
        return address instanceof InetSocketAddress a ? a : null;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * The Call-ID of a message kept only as octets (a retransmitted answer or ACK): the value of the
     * first {@code Call-ID} or compact {@code i} header (RFC 3261 §7.3.3, §20.8), trimmed; "" if none.
     * Only the header section is searched.
     */
    static String callIdOf(byte[] b) {
        int lineStart = 0;
        while (lineStart < b.length) {
            int lineEnd = lineStart;
            while (lineEnd < b.length && b[lineEnd] != '\n') {
                lineEnd++;
            }
            int end = lineEnd > lineStart && b[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            if (end == lineStart) {
                return "";
            }
            int colon = nameEnd(b, lineStart, end);
            if (colon > 0) {
                int v = colon + 1;
                while (v < end && (b[v] == ' ' || b[v] == '\t')) {
                    v++;
                }
                int e = end;
                while (e > v && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                    e--;
                }
                return new String(b, v, e - v, StandardCharsets.US_ASCII);
            }
            lineStart = lineEnd + 1;
        }
        return "";
    }

    /** Index of the ':' when the line is a Call-ID header, else -1. */
    private static int nameEnd(byte[] b, int start, int end) {
        int n = start;
        while (n < end && b[n] != ':' && b[n] != ' ' && b[n] != '\t') {
            n++;
        }
        int nameLen = n - start;
        boolean callId = nameLen == 7 && regionIgnoreCase(b, start, "call-id")
            || nameLen == 1 && (b[start] == 'i' || b[start] == 'I');
        if (!callId) {
            return -1;
        }
        while (n < end && (b[n] == ' ' || b[n] == '\t')) {
            n++;
        }
        return n < end && b[n] == ':' ? n : -1;
    }

    private static boolean regionIgnoreCase(byte[] b, int start, String name) {
        for (int i = 0; i < name.length(); i++) {
            int c = b[start + i] | 0x20;
            if (c != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
