package io.tandem.softswitch.sip.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipOctets;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Writes a {@link SipOctets} (a message, or the kept octets of one sent before) as its wire
 * octets: to a connection as a {@link ByteBuf}, or, wrapped in an {@link AddressedEnvelope}, as a
 * {@link DatagramPacket} to the envelope's recipient. Other outbound objects (raw error answers, keep-alive pongs) pass through.
 */
@ChannelHandler.Sharable
public final class SipMessageEncoder extends MessageToMessageEncoder<Object> {

    private final CodecCounters counters;

    /** @param counters where messages written are counted, by method and status */
    public SipMessageEncoder(CodecCounters counters) {
        super(Object.class);
        this.counters = counters;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof SipOctets
            || msg instanceof AddressedEnvelope<?, ?> e && e.content() instanceof SipOctets;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof SipOctets m) {
            out.add(toBuffer(ctx, m));
        } else {
            @SuppressWarnings("unchecked")
            AddressedEnvelope<SipOctets, InetSocketAddress> e = (AddressedEnvelope<SipOctets, InetSocketAddress>) msg;
            out.add(new DatagramPacket(toBuffer(ctx, e.content()), e.recipient(), e.sender()));
        }
    }

    private ByteBuf toBuffer(ChannelHandlerContext ctx, SipOctets m) {
        if (m instanceof SipMessage message) {
            counters.sent().count(message);
        }
        ByteBuf buf = ctx.alloc().ioBuffer(m.encodedLength());
        m.writeTo(buf::writeBytes);
        return buf;
    }
}
