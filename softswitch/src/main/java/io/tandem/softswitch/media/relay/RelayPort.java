package io.tandem.softswitch.media.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One port pair of the relay facing one peer (the customer or the vendor) for one stream: the RTP
 * socket on the even port, RTCP on the odd one. What arrives from the peer is checked by its
 * {@link SourceLatch}, counted, and sent out of the {@link #other} port pair to the other peer, so
 * each peer only ever sees the relay's address (symmetric RTP). Confined to one event loop, as is
 * its other half: forwarding touches no lock and waits on nothing; the received buffer (pooled,
 * direct) is sent on as it is, without a copy.
 *
 * <p>On epoll a relayed packet leaves with one {@code sendto} on the other port's socket, called
 * here on the loop that owns both sockets, instead of a write through Netty's pipeline and
 * outbound buffer and a flush (an envelope, a buffer entry, a promise and a pipeline walk per
 * packet: about 8 % of the node's CPU samples at 1,000 calls, docs/performance.md). A socket whose send
 * buffer is full drops the packet (counted), as the network would: a relay never queues stale
 * audio. On NIO (not Linux) packets go through the pipeline, flushed once per read batch.
 */
final class RelayPort {

    private static final Logger log = LoggerFactory.getLogger(RelayPort.class);

    final int rtpPort;
    private final EventLoop loop;
    private final SourceLatch latch;
    private final RelayCounters counters;
    private StreamStats stats;
    private RelayPort other;
    private Channel rtp;
    private Channel rtcp;
    /** The sockets themselves on epoll (sent to directly, on this loop); null on NIO. */
    private Socket rtpSocket;
    private Socket rtcpSocket;
    private InetSocketAddress rtcpSource;
    private boolean closed;
    /** Written and read on the loop only (the call's timeout check runs there): no volatile store per packet. */
    long lastPacketNanos;

    RelayPort(int rtpPort, EventLoop loop, long relatchAfterNanos, RelayCounters counters) {
        this.rtpPort = rtpPort;
        this.loop = loop;
        this.latch = new SourceLatch(relatchAfterNanos);
        this.counters = counters;
        this.stats = new StreamStats(8000);
    }

    EventLoop loop() {
        return loop;
    }

    void pairWith(RelayPort other) {
        this.other = other;
    }

    /** Binds both sockets on the port's loop; a failure is logged and the stream stays silent. */
    void bind(Bootstrap template, String address, Runnable onFailure) {
        Bootstrap b = template.clone(loop).handler(new Inbound(true));
        Bootstrap c = template.clone(loop).handler(new Inbound(false));
        b.bind(address, rtpPort).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                log.warn("Media port {} on {} could not be bound: {}", rtpPort, address, f.cause().toString());
                onFailure.run();
                return;
            }
            rtp = f.channel();
            rtpSocket = socketOf(rtp);
            if (closed) {
                rtp.close();
            }
        });
        c.bind(address, rtpPort + 1).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                log.warn("Media port {} on {} could not be bound: {}", rtpPort + 1, address, f.cause().toString());
                return;
            }
            rtcp = f.channel();
            rtcpSocket = socketOf(rtcp);
            if (closed) {
                rtcp.close();
            }
        });
    }

    private static Socket socketOf(Channel channel) {
        return channel instanceof EpollDatagramChannel epoll ? (Socket) epoll.fd() : null;
    }

    /** The peer's SDP names where it wants media (null on hold by 0.0.0.0); on the loop. */
    void expect(InetSocketAddress fromSdp, int clockRate) {
        if (fromSdp != null) {
            latch.expect(fromSdp);
        }
        if (stats == null || lastPacketNanos == 0) {
            stats = new StreamStats(clockRate);
        }
    }

    InetSocketAddress target() {
        return latch.target();
    }

    MediaStats.Direction stats() {
        return stats.snapshot();
    }

    void close() {
        closed = true;
        if (rtp != null) {
            rtp.close();
        }
        if (rtcp != null) {
            rtcp.close();
        }
    }

    private void onRtp(DatagramPacket packet) {
        ByteBuf content = packet.content();
        if (!RtpHeader.plausible(content)) {
            counters.malformed.increment();
            return;
        }
        InetSocketAddress source = packet.sender();
        if (RtpHeader.rtcp(content)) {
            // RTCP multiplexed on the RTP port (RFC 5761): relayed from the latched source only, never latched on
            if (source.equals(latch.target())) {
                other.sendRtp(content);
            }
            return;
        }
        long now = System.nanoTime();
        switch (latch.offer(source, RtpHeader.ssrc(content), RtpHeader.sequence(content), now)) {
            case ACCEPT -> {
                lastPacketNanos = now;
                stats.record(RtpHeader.sequence(content), RtpHeader.timestamp(content), content.readableBytes(), now);
                other.sendRtp(content);
            }
            case PROBATION -> counters.probation.increment();
            case REJECT -> counters.hijackDropped.increment();
        }
    }

    private void onRtcp(DatagramPacket packet) {
        InetSocketAddress source = packet.sender();
        InetSocketAddress rtpPeer = latch.target();
        // RTCP is taken only from the host the RTP latch trusts; its port is learnt (NATs rarely keep port + 1)
        if (rtpPeer == null || !source.getAddress().equals(rtpPeer.getAddress())) {
            counters.hijackDropped.increment();
            return;
        }
        rtcpSource = source;
        other.sendRtcp(packet.content());
    }

    private void sendRtp(ByteBuf content) {
        InetSocketAddress to = latch.target();
        if (to == null || rtp == null) {
            counters.undeliverable.increment();
            return;
        }
        if (rtpSocket == null) {
            rtp.write(new DatagramPacket(content.retain(), to), rtp.voidPromise());
            counters.relayed.increment();
        } else if (sendNow(rtpSocket, content, to)) {
            counters.relayed.increment();
        }
    }

    /** One {@code sendto}, on the loop that owns the socket; true when the kernel took the datagram. */
    private boolean sendNow(Socket socket, ByteBuf content, InetSocketAddress to) {
        if (!content.isReadable()) {
            return false; // an empty datagram (possible on the RTCP port) is not relayed, as Netty's write skips it
        }
        try {
            int sent;
            if (content.hasMemoryAddress()) {
                sent = socket.sendToAddress(content.memoryAddress(), content.readerIndex(), content.writerIndex(),
                        to.getAddress(), to.getPort());
            } else {
                java.nio.ByteBuffer data = content.internalNioBuffer(content.readerIndex(), content.readableBytes());
                sent = socket.sendTo(data, data.position(), data.limit(), to.getAddress(), to.getPort());
            }
            if (sent > 0) {
                return true;
            }
            counters.sendBufferFull.increment(); // EAGAIN: dropped, never queued
            return false;
        } catch (IOException e) {
            // e.g. a peer's SDP names an address this host cannot reach; the port stays open
            counters.socketErrors.increment();
            log.debug("Media port {} could not send to {}: {}", rtpPort, to, e.toString());
            return false;
        }
    }

    private void sendRtcp(ByteBuf content) {
        InetSocketAddress rtpTo = latch.target();
        InetSocketAddress to = rtcpSource != null ? rtcpSource
                : rtpTo == null ? null : new InetSocketAddress(rtpTo.getAddress(), rtpTo.getPort() + 1);
        if (to == null || rtcp == null) {
            return;
        }
        if (rtcpSocket == null) {
            rtcp.writeAndFlush(new DatagramPacket(content.retain(), to), rtcp.voidPromise());
        } else {
            sendNow(rtcpSocket, content, to);
        }
    }

    private void flushRtp() {
        if (rtp != null && rtpSocket == null) {
            rtp.flush();
        }
    }

    /** Reads one of the two sockets; packets go out of the other port pair (on NIO flushed once per read batch). */
    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final boolean isRtp;

        Inbound(boolean isRtp) {
            this.isRtp = isRtp;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (isRtp) {
                onRtp(packet);
            } else {
                onRtcp(packet);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (isRtp) {
                other.flushRtp();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable from a peer that went away surfaces here on a connected-less UDP socket
            counters.socketErrors.increment();
            log.debug("Media port {} error: {}", rtpPort, cause.toString());
        }
    }
}
