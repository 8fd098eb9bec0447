package io.tandem.softswitch.sip.protection;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.tandem.softswitch.sip.codec.SipInbound;
import java.net.InetSocketAddress;

/**
 * Applies the {@link FloodGuard}: on UDP before decoding (raw datagrams), on TCP/TLS to each
 * decoded message, and to connections as they open. Dropped messages are released here and
 * never parsed further; a connection whose source is banned is closed.
 */
@ChannelHandler.Sharable
public final class FloodFilter extends ChannelInboundHandlerAdapter {
    private final FloodGuard guard;

    public FloodFilter(FloodGuard guard) {
        this.guard = guard;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a && guard.isBanned(a.getAddress())) {
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        InetSocketAddress source = switch (msg) {
            case DatagramPacket p -> p.sender();
            case SipInbound in -> in.sender();
            default -> null;
        };
        if (source == null || guard.admit(source.getAddress())) {
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        if (!(ctx.channel() instanceof DatagramChannel)) {
            ctx.close();
        }
    }
}
