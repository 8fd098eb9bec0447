package io.tandem.softswitch.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

/**
 * The first handler of a SIP UDP socket: copies each datagram out of the receive buffer into a heap
 * buffer of exactly its size and gives the receive buffer back at once. The socket reads into buffers
 * of the largest datagram ({@link SipListeners#MAX_DATAGRAM}, 64 KiB: a datagram is one whole message,
 * however large, RFC 3261 §18.3), so a datagram queued for another event loop ({@link CallIdDispatch})
 * holds its own few hundred bytes, not 64 KiB of pooled direct memory. The copy is what the decoder
 * did anyway; it now reads the array in place.
 */
@ChannelHandler.Sharable
final class ExactSizeDatagrams extends ChannelInboundHandlerAdapter {
    static final ExactSizeDatagrams INSTANCE = new ExactSizeDatagrams();

    private ExactSizeDatagrams() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet) || packet.content().hasArray()) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf content = packet.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        DatagramPacket copy = new DatagramPacket(Unpooled.wrappedBuffer(bytes), packet.recipient(), packet.sender());
        packet.release();
        ctx.fireChannelRead(copy);
    }
}
