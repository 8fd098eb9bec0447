package io.tandem.softswitch.sip.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether the UDP sockets keep up with what arrives: each socket's first handler counts the datagrams
 * of every read. A read that stops at the channel's per-read cap left more in the kernel's queue; reads
 * that all stop at the cap, one after another, mean the queue never emptied since the first of them.
 * {@link #worstBacklogNanos} is how long that has lasted on the worst socket — the delay the event loop
 * lag cannot see, since the loop runs its own tasks between reads while datagrams wait in the kernel.
 */
final class ReadBacklog {
    private static final int DEFAULT_MESSAGES_PER_READ = 16;
    private final CopyOnWriteArrayList<Meter> meters = new CopyOnWriteArrayList<>();

    /** A new meter for one UDP channel, to be the first handler of its pipeline. */
    ChannelInboundHandlerAdapter newMeter() {
        return new Meter();
    }

    /** Datagrams read so far by each socket, in the order the sockets were set up. */
    long[] datagramsPerSocket() {
        return meters.stream().mapToLong(m -> m.datagrams.sum()).toArray();
    }

    /** How long the most backlogged socket has been read only in full reads, 0 when none is. */
    long worstBacklogNanos() {
        long now = System.nanoTime();
        long worst = 0;
        for (Meter m : meters) {
            long since = m.fullSince;
            if (since != 0) {
                worst = Math.max(worst, now - since);
            }
        }
        return worst;
    }

    private final class Meter extends ChannelInboundHandlerAdapter {
        private int perRead;
        private int read;
        private final LongAdder datagrams = new LongAdder();
        /** When the current run of full reads began, 0 when the last read emptied the socket. */
        private volatile long fullSince;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            RecvByteBufAllocator a = ctx.channel().config().getRecvByteBufAllocator();
            perRead = a instanceof MaxMessagesRecvByteBufAllocator m ? m.maxMessagesPerRead() : DEFAULT_MESSAGES_PER_READ;
            meters.add(this);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            meters.remove(this);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            read++;
            datagrams.increment();
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (read >= perRead) {
                if (fullSince == 0) {
                    fullSince = System.nanoTime();
                }
            } else if (fullSince != 0) {
                fullSince = 0;
            }
            read = 0;
            ctx.fireChannelReadComplete();
        }
    }
}
