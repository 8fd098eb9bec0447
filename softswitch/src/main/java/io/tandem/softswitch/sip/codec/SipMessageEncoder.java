package io.tandem.softswitch.sip.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.tandem.softswitch.sip.message.SipMessage;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Writes a {@link SipMessage} as its wire octets: to a connection as a {@link ByteBuf}, or,
 * wrapped in an {@link AddressedEnvelope}, as a {@link DatagramPacket} to the envelope's
 * recipient. Other outbound objects (raw error answers, keep-alive pongs) pass through.
 */
@ChannelHandler.Sharable
public final class SipMessageEncoder extends MessageToMessageEncoder<Object> {

    public SipMessageEncoder() {
        super(Object.class);
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof SipMessage
            || msg instanceof AddressedEnvelope<?, ?> e && e.content() instanceof SipMessage;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof SipMessage m) {
            out.add(toBuffer(ctx, m));
        } else {
            @SuppressWarnings("unchecked")
            AddressedEnvelope<SipMessage, InetSocketAddress> e = (AddressedEnvelope<SipMessage, InetSocketAddress>) msg;
            out.add(new DatagramPacket(toBuffer(ctx, e.content()), e.recipient(), e.sender()));
        }
    }

    private static ByteBuf toBuffer(ChannelHandlerContext ctx, SipMessage m) {
        ByteBuf buf = ctx.alloc().ioBuffer(m.encodedLength());
        m.writeTo(buf::writeBytes);
        return buf;
    }
}
