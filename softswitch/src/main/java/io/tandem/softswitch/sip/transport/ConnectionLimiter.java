package io.tandem.softswitch.sip.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Closes an accepted TCP/TLS connection when its source IP already holds {@code maxPerAddress}. */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("sip.counted-source");

    private final int maxPerAddress;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    final LongAdder refused = new LongAdder();

    ConnectionLimiter(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
            InetAddress ip = a.getAddress();
            int n = open.merge(ip, 1, Integer::sum);
            ctx.channel().attr(COUNTED).set(ip);
            if (n > maxPerAddress) {
                refused.increment();
                ctx.close();
                return;
            }
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress ip = ctx.channel().attr(COUNTED).getAndSet(null);
        if (ip != null) {
            open.computeIfPresent(ip, (k, v) -> v <= 1 ? null : v - 1);
        }
        super.channelInactive(ctx);
    }

    int openConnections(InetAddress ip) {
        return open.getOrDefault(ip, 0);
    }
}
