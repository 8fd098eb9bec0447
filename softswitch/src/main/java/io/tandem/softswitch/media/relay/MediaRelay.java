package io.tandem.softswitch.media.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's RTP relay: its event loops (epoll where available), the port pairs of the configured
 * range, and the counters. A call's streams are all placed on one loop, the one carrying the fewest
 * port pairs ({@link MediaLoops}), and stay there; the call's SIP loop only numbers ports and rewrites
 * SDP, then posts the rest.
 *
 * <p>On Linux the relay opens and reads its sockets itself, registered on its epoll loops ({@link RelayPort});
 * elsewhere they are Netty NIO channels. On a specific IPv4 bind address the sockets are plain IPv4
 * ({@code AF_INET}) ones: the default is a dual-stack IPv6 socket, whose every send and receive takes the
 * kernel's IPv6 entry points and an IPv4-mapped address conversion in the native transport
 * (docs/performance.md, issue #17).
 */
public final class MediaRelay implements AutoCloseable {

    /** An RTP packet is at most a few hundred octets for voice; 2 KiB leaves room for video and SRTP trailers. */
    static final int MAX_DATAGRAM = 2048;

    private final MediaRelayConfig config;
    private final MultiThreadIoEventLoopGroup group;
    private final MediaLoops loops;
    private final PortPairPool ports;
    /** The sockets' Netty channels on NIO; null on epoll, where the relay opens and reads its own sockets. */
    private final Bootstrap template;
    /** On epoll: plain IPv4 sockets ({@code INET}) on a specific IPv4 bind address, else null (dual-stack). */
    private final SocketProtocolFamily family;
    private final RelayCounters counters = new RelayCounters();
    private final AtomicInteger sessions = new AtomicInteger();

    public MediaRelay(MediaRelayConfig config) {
        this.config = config;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(config.threads(), new DefaultThreadFactory("media", true), io);
        this.loops = new MediaLoops(group);
        this.ports = new PortPairPool(config.firstPort(), config.lastPort());
        this.family = epoll && ipv4Literal(config.bindAddress()) ? SocketProtocolFamily.INET : null;
        this.template = epoll ? null : new Bootstrap()
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                // a send that fails (a peer's SDP names an address this host cannot reach) must not close the port
                .option(ChannelOption.AUTO_CLOSE, false)
                .option(ChannelOption.RCVBUF_ALLOCATOR, oneDatagramPerWakeUp());
    }

    /**
     * One datagram per read on NIO channels, as the epoll path reads one per wake-up itself (stated explicitly: it is
     * also the default of a {@link FixedRecvByteBufAllocator}, unlike the 16 of a channel's own allocator). An RTP port
     * holds one datagram when the loop gets to it (20 ms between packets); a port that fell behind is drained one
     * datagram per loop turn, fairly beside the others.
     */
    private static RecvByteBufAllocator oneDatagramPerWakeUp() {
        FixedRecvByteBufAllocator allocator = new FixedRecvByteBufAllocator(MAX_DATAGRAM);
        allocator.maxMessagesPerRead(1);
        return allocator;
    }

    public MediaRelayConfig config() {
        return config;
    }

    public RelayCounters counters() {
        return counters;
    }

    /** Calls whose media is anchored here now. */
    public int activeSessions() {
        return sessions.get();
    }

    public int freePortPairs() {
        return ports.available();
    }

    public int portPairs() {
        return ports.size();
    }

    /** The loop a new call's (or remote session's) port pairs will live on. */
    EventLoop nextLoop() {
        return loops.leastLoaded();
    }

    /** Port pairs bound or being bound per event loop now. */
    public int[] portPairsPerLoop() {
        return loops.pairsPerLoop();
    }

    /** A specific IPv4 address (not the wildcard, which keeps the dual-stack socket that also reaches IPv6 peers). */
    static boolean ipv4Literal(String address) {
        if (address == null || address.isEmpty() || !Character.isDigit(address.charAt(0)) || address.indexOf(':') >= 0) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(address); // a literal: no lookup
            return a instanceof Inet4Address && !a.isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false; // not an address literal (999.1.1.1): the default socket, whose bind then reports it
        }
    }

    /** A port pair bound on the call's media loop, or null when the range is exhausted. */
    RelayPort openPort(EventLoop loop) {
        int port = ports.acquire();
        if (port < 0) {
            counters.noPorts.increment();
            return null;
        }
        return bindReserved(port, loop);
    }

    /** A port pair reserved for a remote signalling node's session (not bound yet), or -1 when the range is exhausted. */
    int reservePortPair() {
        int port = ports.acquire();
        if (port < 0) {
            counters.noPorts.increment();
        }
        return port;
    }

    /** A port pair reserved earlier and still free in the range: taken now, or false if it is in use. */
    boolean reserveExactly(int rtpPort) {
        return ports.take(rtpPort);
    }

    /** Binds a reserved port pair on the session's media loop. */
    RelayPort bindReserved(int port, EventLoop loop) {
        loops.pairOpened(loop);
        RelayPort p = new RelayPort(port, loop, TimeUnit.MILLISECONDS.toNanos(config.relatchAfter().toMillis()), counters);
        if (template == null) {
            loop.execute(() -> p.bindOwn(config.bindAddress(), family, () -> { }));
        } else {
            loop.execute(() -> p.bind(template, config.bindAddress(), () -> { }));
        }
        return p;
    }

    /** A reserved port pair that was never bound goes back to the range. */
    void returnReserved(int rtpPort) {
        ports.release(rtpPort);
    }

    /** After the port's sockets were closed on its loop. */
    void releasePort(RelayPort port) {
        loops.pairClosed(port.loop());
        ports.release(port.rtpPort);
    }

    void sessionOpened() {
        sessions.incrementAndGet();
    }

    void sessionClosed() {
        sessions.decrementAndGet();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
