package io.tandem.softswitch.media.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.concurrent.TimeUnit;
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
 * <p><b>Own sockets on epoll.</b> On Linux the two sockets are not Netty channels: each is a {@link LinuxSocket}
 * registered on the port's media loop as a Netty 4.2 {@link EpollIoHandle} (level-triggered {@code EPOLLIN}), and
 * read here, one datagram per wake-up, into the loop's one receive buffer ({@link #RECEIVE_BUFFER}); a relayed packet
 * leaves with one {@code send}/{@code sendto} on the other port's socket, on the loop that owns both. Nothing is
 * allocated per packet once a peer is latched (a channel's read made a {@code DatagramPacket} envelope per datagram,
 * took a pooled buffer, walked the pipeline and asked for the next read; a pipeline write added an outbound-buffer
 * entry, a promise and a flush: docs/performance.md). A socket whose send buffer is full drops the packet (counted),
 * as the network would: a relay never queues stale audio. On NIO (not Linux) the sockets are Netty channels and
 * packets go through the pipeline, flushed once per read batch.
 *
 * <p><b>Connected once latched</b> (epoll): when the {@link SourceLatch} locks on a source, the RTP socket is
 * {@code connect}ed to it. The kernel then keeps the route (a relayed packet leaves with {@code send}, no route
 * lookup, and arrives through the early demultiplexer with the socket's cached input route), the socket is read
 * with {@code recv} and the latched address is the sender (no sender address object per datagram), and datagrams
 * from any other source are dropped by the kernel: the latch's "reject while the latched source talks" rule is
 * then enforced before the relay sees them (and no longer counted as hijack attempts). Other sources must be heard
 * again when the latched one falls silent (a NAT that moved the stream to another port, the latch's re-latch after
 * silence): a check every {@value #SILENCE_CHECK_MILLIS} ms disconnects the socket once the peer sent nothing for
 * {@value #SILENCE_BEFORE_DISCONNECT_MILLIS} ms, and the latch's rules apply to what arrives from then on. A new
 * SDP address (the latch forgets its source) disconnects at once. RTCP sockets (one packet in seconds) stay
 * unconnected.
 */
final class RelayPort {

    private static final Logger log = LoggerFactory.getLogger(RelayPort.class);

    /**
     * The one receive buffer of each media loop (epoll): a datagram is read into it, relayed and done with before the
     * loop reads the next, so one per thread is enough; released when the loop's thread ends.
     */
    private static final FastThreadLocal<ByteBuf> RECEIVE_BUFFER = new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
            return Unpooled.directBuffer(MediaRelay.MAX_DATAGRAM, MediaRelay.MAX_DATAGRAM);
        }

        @Override
        protected void onRemoval(ByteBuf buffer) {
            buffer.release();
        }
    };

    /** How long a connected peer may send nothing before other sources are heard again (a NAT rebinding's gap). */
    static final long SILENCE_BEFORE_DISCONNECT_MILLIS = 500;
    /** How often a connected port looks at its peer's silence: a rebinding is followed 0.5–0.75 s after it. */
    static final long SILENCE_CHECK_MILLIS = 250;

    final int rtpPort;
    private final EventLoop loop;
    private final SourceLatch latch;
    private final RelayCounters counters;
    private StreamStats stats;
    private RelayPort other;
    /** The sockets as Netty channels: on NIO only. */
    private Channel rtp;
    private Channel rtcp;
    /** The sockets on epoll, read and sent to directly on this loop; null on NIO. */
    private EpollSocket rtpSocket;
    private EpollSocket rtcpSocket;
    private InetSocketAddress rtcpSource;
    /**
     * The peer the RTP socket is connected to (the latched source, which a connected read reports as the sender),
     * or null while unconnected. Connected implies latched there, so a
     * packet for the peer goes out with {@code send} and no address.
     */
    private InetSocketAddress connectedPeer;
    private ScheduledFuture<?> silenceCheck;
    /** While {@link #readQueuedWithSenders()} runs (a re-connect inside it needs no drain of its own). */
    private boolean draining;
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

    /**
     * Opens both sockets on epoll and registers them on the port's loop; on the loop. A failure is logged and the
     * stream stays silent. {@code family} {@link SocketProtocolFamily#INET} for a specific IPv4 address, null for the
     * default (dual-stack) socket.
     */
    void bindOwn(String address, SocketProtocolFamily family, Runnable onFailure) {
        try {
            rtpSocket = open(address, rtpPort, family, true);
        } catch (IOException e) {
            log.warn("Media port {} on {} could not be bound: {}", rtpPort, address, e.toString());
            onFailure.run();
            return;
        }
        try {
            rtcpSocket = open(address, rtpPort + 1, family, false);
        } catch (IOException e) {
            log.warn("Media port {} on {} could not be bound: {}", rtpPort + 1, address, e.toString());
        }
    }

    private EpollSocket open(String address, int port, SocketProtocolFamily family, boolean isRtp) throws IOException {
        LinuxSocket socket = family == null ? LinuxSocket.newSocketDgram() : LinuxSocket.newSocketDgram(family);
        try {
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        EpollSocket handle = new EpollSocket(socket, isRtp);
        ((IoEventLoop) loop).register(handle).addListener(f -> {
            if (!f.isSuccess()) {
                log.warn("Media port {} could not be registered on its loop: {}", port, f.cause().toString());
                handle.close();
                return;
            }
            handle.registration = (IoRegistration) f.getNow();
            if (closed) {
                handle.close();
            } else {
                handle.registration.submit(EpollIoOps.EPOLLIN);
            }
        });
        return handle;
    }

    /** Binds both sockets as Netty channels (NIO) on the port's loop; a failure is logged and the stream stays silent. */
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
            if (closed) {
                rtcp.close();
            }
        });
    }

    /** The peer's SDP names where it wants media (null on hold by 0.0.0.0); on the loop. */
    void expect(InetSocketAddress fromSdp, int clockRate) {
        if (fromSdp != null) {
            latch.expect(fromSdp);
            if (!latch.latched()) {
                disconnect(); // the latch forgot its source: every source must reach it again
            }
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
        if (silenceCheck != null) {
            silenceCheck.cancel(false);
            silenceCheck = null;
        }
        connectedPeer = null;
        if (rtpSocket != null) {
            rtpSocket.close();
        }
        if (rtcpSocket != null) {
            rtcpSocket.close();
        }
        if (rtp != null) {
            rtp.close();
        }
        if (rtcp != null) {
            rtcp.close();
        }
    }

    private void onRtp(ByteBuf content, InetSocketAddress source) {
        if (!RtpHeader.plausible(content)) {
            counters.malformed.increment();
            return;
        }
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
                // a connected read hands over connectedPeer itself as the sender: no comparison per packet then
                boolean connectedNow = source != connectedPeer && connectTo(source);
                other.sendRtp(content);
                if (connectedNow && !draining) {
                    readQueuedWithSenders();
                }
            }
            case PROBATION -> counters.probation.increment();
            case REJECT -> counters.hijackDropped.increment();
        }
    }

    /**
     * Right after a connect: the datagrams the socket had queued before it may come from anyone, but a connected read
     * (Netty's, from now on) reports the connected peer as every datagram's sender. So they are read here, each with
     * its real sender, and judged by the latch like any other; what arrives after the connect is the peer's alone.
     */
    private void readQueuedWithSenders() {
        draining = true;
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(MediaRelay.MAX_DATAGRAM);
        try {
            while (connectedPeer != null && !closed) {
                DatagramSocketAddress sender;
                try {
                    sender = receiveWithSender(rtpSocket.socket, buffer);
                } catch (PortUnreachableException e) {
                    counters.socketErrors.increment(); // the error was consumed; what is queued behind it is read on
                    continue;
                } catch (IOException e) {
                    counters.socketErrors.increment();
                    log.debug("Media port {} could not read its queue: {}", rtpPort, e.toString());
                    return;
                }
                if (sender == null) {
                    return; // EAGAIN: the queue is empty
                }
                onRtp(buffer, sender);
            }
        } finally {
            buffer.release();
            draining = false;
        }
    }

    /** One datagram and its sender ({@code recvfrom}) into {@code buffer}, from its start; null when there is none (EAGAIN). */
    private static DatagramSocketAddress receiveWithSender(Socket socket, ByteBuf buffer) throws IOException {
        buffer.clear();
        DatagramSocketAddress sender = buffer.hasMemoryAddress()
                ? socket.recvFromAddress(buffer.memoryAddress(), 0, buffer.capacity())
                : socket.recvFrom(buffer.internalNioBuffer(0, buffer.capacity()), 0, buffer.capacity());
        if (sender != null) {
            buffer.writerIndex(sender.receivedAmount());
        }
        return sender;
    }

    private void onRtcp(ByteBuf content, InetSocketAddress source) {
        InetSocketAddress rtpPeer = latch.target();
        // RTCP is taken only from the host the RTP latch trusts; its port is learnt (NATs rarely keep port + 1)
        if (rtpPeer == null || !source.getAddress().equals(rtpPeer.getAddress())) {
            counters.hijackDropped.increment();
            return;
        }
        rtcpSource = source;
        other.sendRtcp(content);
    }

    private void sendRtp(ByteBuf content) {
        InetSocketAddress to = latch.target();
        if (to == null || (rtp == null && rtpSocket == null)) {
            counters.undeliverable.increment();
            return;
        }
        if (rtpSocket == null) {
            rtp.write(new DatagramPacket(content.retain(), to), rtp.voidPromise());
            counters.relayed.increment();
        } else if (sendNow(rtpSocket.socket, content, connectedPeer != null ? null : to)) {
            counters.relayed.increment();
        }
    }

    /**
     * Connects the RTP socket to the source the latch has just accepted (locked on, or moved to), unless it is
     * connected there already (a datagram queued before the connect reports its own sender object). On the loop;
     * {@code connect} on a UDP socket completes at once. True when the socket is newly connected.
     */
    private boolean connectTo(InetSocketAddress source) {
        if (rtpSocket == null || closed || !rtpSocket.socket.isOpen()) {
            return false;
        }
        if (connectedPeer != null) {
            if (connectedPeer.equals(source)) {
                return false;
            }
            disconnect();
        }
        try {
            rtpSocket.socket.connect(source);
        } catch (IOException e) {
            // e.g. a source this host has no route back to; the port stays unconnected and relays as before
            counters.socketErrors.increment();
            log.debug("Media port {} could not connect to {}: {}", rtpPort, source, e.toString());
            return false;
        }
        connectedPeer = source;
        if (silenceCheck == null) {
            silenceCheck = loop.scheduleAtFixedRate(this::checkPeerSilence, SILENCE_CHECK_MILLIS, SILENCE_CHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /** Every {@value #SILENCE_CHECK_MILLIS} ms while connected: a peer silent long enough lets other sources in. */
    private void checkPeerSilence() {
        if (connectedPeer == null) {
            return;
        }
        if (System.nanoTime() - lastPacketNanos >= TimeUnit.MILLISECONDS.toNanos(SILENCE_BEFORE_DISCONNECT_MILLIS)) {
            disconnect();
        }
    }

    /** Lets every source reach the socket again ({@code connect(AF_UNSPEC)}); the latch keeps its source. */
    private void disconnect() {
        if (silenceCheck != null) {
            silenceCheck.cancel(false);
            silenceCheck = null;
        }
        if (connectedPeer == null) {
            return;
        }
        connectedPeer = null;
        try {
            rtpSocket.socket.disconnect();
        } catch (IOException e) {
            counters.socketErrors.increment();
            log.warn("Media port {} could not be disconnected: {}", rtpPort, e.toString());
        }
    }

    /**
     * One {@code send} on the socket connected to the latched peer ({@code to} null), or one {@code sendto}; on the
     * loop that owns the socket; true when the kernel took the datagram.
     */
    private boolean sendNow(Socket socket, ByteBuf content, InetSocketAddress to) {
        if (!content.isReadable()) {
            return false; // an empty datagram (possible on the RTCP port) is not relayed, as Netty's write skips it
        }
        try {
            int sent;
            if (content.hasMemoryAddress()) {
                sent = to == null
                        ? socket.sendAddress(content.memoryAddress(), content.readerIndex(), content.writerIndex())
                        : socket.sendToAddress(content.memoryAddress(), content.readerIndex(), content.writerIndex(),
                                to.getAddress(), to.getPort());
            } else {
                java.nio.ByteBuffer data = content.internalNioBuffer(content.readerIndex(), content.readableBytes());
                sent = to == null
                        ? socket.send(data, data.position(), data.limit())
                        : socket.sendTo(data, data.position(), data.limit(), to.getAddress(), to.getPort());
            }
            if (sent > 0) {
                return true;
            }
            counters.sendBufferFull.increment(); // EAGAIN: dropped, never queued
            return false;
        } catch (IOException e) {
            // a peer's SDP names an address this host cannot reach, or (connected) an ICMP port unreachable came back
            // from a peer that went away: the port stays open
            counters.socketErrors.increment();
            log.debug("Media port {} could not send to {}: {}", rtpPort, to == null ? connectedPeer : to, e.toString());
            return false;
        }
    }

    private void sendRtcp(ByteBuf content) {
        InetSocketAddress rtpTo = latch.target();
        InetSocketAddress to = rtcpSource != null ? rtcpSource
                : rtpTo == null ? null : new InetSocketAddress(rtpTo.getAddress(), rtpTo.getPort() + 1);
        if (to == null || (rtcp == null && rtcpSocket == null)) {
            return;
        }
        if (rtcpSocket == null) {
            rtcp.writeAndFlush(new DatagramPacket(content.retain(), to), rtcp.voidPromise());
        } else {
            sendNow(rtcpSocket.socket, content, to);
        }
    }

    private void flushRtp() {
        if (rtp != null && rtpSocket == null) {
            rtp.flush();
        }
    }

    /**
     * One of the port pair's sockets on epoll, registered on the port's loop: each readiness reads one datagram (the
     * registration is level-triggered, so a socket that holds more is reported again by the next {@code epoll_wait},
     * fairly beside the other ports) and relays it. An error queued on the socket (an ICMP port unreachable on a
     * connected socket) is consumed by that read and counted.
     */
    private final class EpollSocket implements EpollIoHandle {
        final LinuxSocket socket;
        private final boolean isRtp;
        IoRegistration registration;

        EpollSocket(LinuxSocket socket, boolean isRtp) {
            this.socket = socket;
            this.isRtp = isRtp;
        }

        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            ByteBuf buffer = RECEIVE_BUFFER.get();
            buffer.clear();
            InetSocketAddress sender;
            try {
                if (isRtp && connectedPeer != null) {
                    int received = buffer.hasMemoryAddress()
                            ? socket.recvAddress(buffer.memoryAddress(), 0, buffer.capacity())
                            : socket.recv(buffer.internalNioBuffer(0, buffer.capacity()), 0, buffer.capacity());
                    if (received <= 0) {
                        return; // nothing (EAGAIN) or an empty datagram, consumed
                    }
                    buffer.writerIndex(received);
                    sender = connectedPeer;
                } else {
                    sender = receiveWithSender(socket, buffer);
                    if (sender == null) {
                        return;
                    }
                }
            } catch (IOException e) {
                // on a connected socket, an ICMP port unreachable from a peer that went away (ECONNREFUSED)
                counters.socketErrors.increment();
                log.debug("Media port {} error: {}", isRtp ? rtpPort : rtpPort + 1, e.toString());
                return;
            }
            if (isRtp) {
                onRtp(buffer, sender);
            } else {
                onRtcp(buffer, sender);
            }
        }

        @Override
        public void close() {
            if (registration != null) {
                registration.cancel();
            }
            if (socket.isOpen()) {
                try {
                    socket.close();
                } catch (IOException e) {
                    log.debug("Media port {} could not be closed: {}", isRtp ? rtpPort : rtpPort + 1, e.toString());
                }
            }
        }
    }

    /** Reads one of the two sockets as a Netty channel (NIO); packets go out of the other port pair, flushed once per read batch. */
    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final boolean isRtp;

        Inbound(boolean isRtp) {
            this.isRtp = isRtp;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (isRtp) {
                onRtp(packet.content(), packet.sender());
            } else {
                onRtcp(packet.content(), packet.sender());
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
            // on a connected socket, an ICMP port unreachable from a peer that went away surfaces here (ECONNREFUSED)
            counters.socketErrors.increment();
            log.debug("Media port {} error: {}", rtpPort, cause.toString());
        }
    }
}
