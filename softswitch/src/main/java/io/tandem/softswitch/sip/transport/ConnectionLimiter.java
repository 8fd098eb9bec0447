package io.tandem.softswitch.sip.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closes an accepted TCP/TLS connection when its source IP already holds {@code maxPerAddress}, or
 * when the node already holds {@code maxTotal} accepted connections (each costs a channel, buffers
 * and a TLS session, so many addresses together must not exhaust memory or descriptors either).
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("sip.counted-source");

    private final int maxPerAddress;
    private final int maxTotal;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    final LongAdder refused = new LongAdder();

    ConnectionLimiter(int maxPerAddress, int maxTotal) {
        this.maxPerAddress = maxPerAddress;
        this.maxTotal = maxTotal;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
            InetAddress ip = a.getAddress();
            int n = open.merge(ip, 1, Integer::sum);
            int all = total.incrementAndGet();
            ctx.channel().attr(COUNTED).set(ip);
            if (n > maxPerAddress || all > maxTotal) {
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
            total.decrementAndGet();
        }
        super.channelInactive(ctx);
    }

    int openConnections() {
        return total.get();
    }

    int openConnections(InetAddress ip) {
        return open.getOrDefault(ip, 0);
    }
}
