package io.tandem.softswitch.sip.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.EventExecutor;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.transaction.EventLoopTransactionExecutor;
import io.tandem.softswitch.sip.transaction.SipSender;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sockets of a stack: UDP (with epoll and {@code SO_REUSEPORT}, one socket per event loop,
 * so the kernel spreads datagrams over the loops), TCP and TLS listeners with a per-IP cap, and
 * outbound connections in a shared pool. Owns the event loops; transactions run on them too.
 */
public final class SipListeners implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipListeners.class);
    /** What each UDP socket asks the kernel to queue for it unless configured ({@code SO_RCVBUF}, 4 MiB). */
    public static final int DEFAULT_UDP_RECEIVE_BUFFER = 4 * 1024 * 1024;
    /** The largest UDP datagram (65,535 octets less the IP and UDP headers, rounded up): read whole, never cut. */
    static final int MAX_DATAGRAM = 64 * 1024;
    /** Datagrams read from a socket before its event loop turns to its other work (Netty's default for datagrams). */
    static final int MESSAGES_PER_READ = 16;
    /**
     * Each UDP socket's writes are flushed once per read burst (up to {@value #MESSAGES_PER_READ}
     * datagrams) or once per turn of its event loop, not once per message: Netty then hands everything
     * written meanwhile to the kernel in one {@code sendmmsg}, one system call for what took one
     * {@code sendto} per datagram. Nothing waits for it: the flush runs before the loop next sleeps.
     */
    static final String FLUSH_CONSOLIDATION = "flush-consolidation";
    private static final int MAX_WRITES_PER_FLUSH = 64;

    /**
     * @param bindAddress         address to bind
     * @param udpPort             -1 off, 0 any free port
     * @param tcpPort             -1 off, 0 any free port
     * @param tlsPort             -1 off, 0 any free port
     * @param tls                 key material for TLS, required when tlsPort is on; also offered to TLS peers that ask
     *                            for a client certificate
     * @param trust               CAs a TLS peer we connect to must chain to; null for the JDK's
     * @param maxConnectionsPerIp accepted connections per source address
     * @param maxConnections      accepted connections in all (TCP and TLS together)
     * @param idleTimeout         idle connections are closed after this
     * @param dnsServers          name servers for RFC 3263 lookups, empty for the system's
     * @param udpReceiveBuffer    octets each UDP socket asks the kernel to queue ({@code SO_RCVBUF}); Linux grants at
     *                            most {@code net.core.rmem_max}, and a node granted less than it asked says so at start
     */
    public record Settings(String bindAddress, int udpPort, int tcpPort, int tlsPort, KeyManagerFactory tls, TrustManagerFactory trust,
                           int maxConnectionsPerIp, int maxConnections, Duration idleTimeout, List<InetSocketAddress> dnsServers,
                           boolean spreadUdpReads, int udpReceiveBuffer) {
    }

    private final boolean epoll;
    private final EventLoopGroup group;
    private final TransactionExecutor[] executors;
    private final List<Channel> udpChannels = new ArrayList<>();
    /** For each executor, the UDP socket its event loop serves; filled once the sockets are bound. */
    private volatile Channel[] udpChannelByExecutor;
    private final List<Channel> servers = new ArrayList<>();
    private final Map<SipTransport, InetSocketAddress> bound = new EnumMap<>(SipTransport.class);
    private volatile SipResolver resolver;
    private volatile ConnectionPool pool;
    private ConnectionLimiter limiter;
    private volatile EventLoopLagProbe lagProbe;
    private volatile KernelUdpDrops udpDrops;

    public SipListeners(int threads, boolean preferNative) {
        this.epoll = preferNative && Epoll.isAvailable();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(n, io);
        List<TransactionExecutor> ex = new ArrayList<>(n);
        for (EventExecutor e : group) {
            ex.add(new EventLoopTransactionExecutor(e));
        }
        this.executors = ex.toArray(new TransactionExecutor[0]);
    }

    /**
     * Starts measuring how late the event loops run their tasks (every {@code intervalNanos}) and how
     * backlogged the pipeline's UDP sockets are, for overload shedding; the measurement stops when the loops do.
     */
    public io.tandem.softswitch.sip.protection.LoopLoad probeLoops(long intervalNanos, SipPipeline pipeline) {
        InetSocketAddress udp = bound.get(SipTransport.UDP);
        KernelUdpDrops drops = udp == null ? null : new KernelUdpDrops(udp.getPort());
        udpDrops = drops;
        EventLoopLagProbe probe = new EventLoopLagProbe(group, intervalNanos, pipeline::worstReadBacklogNanos,
            drops == null ? () -> -1L : drops::dropped);
        lagProbe = probe;
        return probe;
    }

    /** Whether native epoll is in use. */
    public boolean nativeTransport() {
        return epoll;
    }

    /** The executor for a Call-ID: all of one call's transactions share a loop, with no locks. */
    public TransactionExecutor executorFor(String callId) {
        return executors[(callId.hashCode() & Integer.MAX_VALUE) % executors.length];
    }

    /** Binds everything; throws with the address when a port is taken. */
    public void bind(SipPipeline pipeline, Settings s) throws InterruptedException {
        SslContext serverTls = null;
        SslContext clientTls = null;
        try {
            if (s.tlsPort() >= 0) {
                serverTls = SslContextBuilder.forServer(s.tls()).build();
            }
            // Outbound TLS to vendor gateways works without a TLS listener of our own.
            SslContextBuilder client = SslContextBuilder.forClient().trustManager(s.trust())
                .endpointIdentificationAlgorithm("HTTPS");
            if (s.tls() != null) {
                client.keyManager(s.tls());
            }
            clientTls = client.build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
        limiter = new ConnectionLimiter(s.maxConnectionsPerIp(), s.maxConnections());
        pool = new ConnectionPool(
            s.tcpPort() >= 0 || s.udpPort() >= 0 ? clientBootstrap(pipeline, SipTransport.TCP, null) : null,
            clientTls != null ? clientBootstrap(pipeline, SipTransport.TLS, clientTls) : null);
        EnumSet<SipTransport> usable = EnumSet.noneOf(SipTransport.class);
        if (s.udpPort() >= 0) {
            usable.add(SipTransport.UDP);
        }
        if (s.tcpPort() >= 0 || s.udpPort() >= 0) {
            usable.add(SipTransport.TCP);
        }
        if (clientTls != null) {
            usable.add(SipTransport.TLS);
        }
        resolver = new SipResolver(group.next(), epoll ? EpollDatagramChannel.class : NioDatagramChannel.class,
            epoll ? EpollSocketChannel.class : NioSocketChannel.class, s.dnsServers(), usable);
        if (s.udpPort() >= 0) {
            bindUdp(pipeline, s.bindAddress(), s.udpPort(), s.spreadUdpReads(), s.udpReceiveBuffer());
        }
        if (s.tcpPort() >= 0) {
            bindStream(pipeline, SipTransport.TCP, null, s.bindAddress(), s.tcpPort());
        }
        if (s.tlsPort() >= 0) {
            bindStream(pipeline, SipTransport.TLS, serverTls, s.bindAddress(), s.tlsPort());
        }
        LOG.info("SIP listening on {} ({})", bound, epoll ? "epoll" : "nio");
    }

    private void bindUdp(SipPipeline pipeline, String address, int port, boolean spreadUdpReads, int receiveBuffer)
        throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group)
            .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, receiveBuffer)
            // Netty reads a datagram channel into 2,048-byte buffers by default and cuts off the rest of a larger one
            .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM).maxMessagesPerRead(MESSAGES_PER_READ))
            .handler(new ChannelInitializer<DatagramChannel>() {
                @Override
                protected void initChannel(DatagramChannel ch) {
                    pipeline.initDatagram(ch);
                    ch.pipeline().addFirst(FLUSH_CONSOLIDATION, new FlushConsolidationHandler(MAX_WRITES_PER_FLUSH, true));
                }
            });
        int sockets = 1;
        if (epoll) {
            b.option(EpollChannelOption.SO_REUSEPORT, true);
            sockets = executors.length;
        }
        Channel first = b.bind(address, port).sync().channel();
        udpChannels.add(first);
        InetSocketAddress local = (InetSocketAddress) first.localAddress();
        reportReceiveBuffer(local.getPort(), receiveBuffer, first.config().getOption(ChannelOption.SO_RCVBUF));
        for (int i = 1; i < sockets; i++) {
            udpChannels.add(b.bind(address, local.getPort()).sync().channel());
        }
        if (epoll && spreadUdpReads && sockets > 1) {
            try {
                ReusePortSpread.spreadRandomly(first, sockets);
                LOG.info("UDP datagrams of each sender are spread over the {} sockets of port {}", sockets, local.getPort());
            } catch (RuntimeException e) {
                // e.g. a container whose seccomp profile refuses socket filters: the kernel's hash per sender stays
                LOG.warn("UDP reads of port {} could not be spread over its {} sockets ({}); each sender is read by one",
                    local.getPort(), sockets, e.toString());
            }
        }
        Channel[] byExecutor = new Channel[executors.length];
        for (int i = 0; i < executors.length; i++) {
            EventExecutor loop = ((EventLoopTransactionExecutor) executors[i]).loop();
            byExecutor[i] = udpChannels.get(i % udpChannels.size());
            for (Channel c : udpChannels) {
                if (c.eventLoop() == loop) {
                    byExecutor[i] = c;
                }
            }
        }
        udpChannelByExecutor = byExecutor;
        bound.put(SipTransport.UDP, local);
    }

    /**
     * Says at start when the kernel granted a UDP socket less queue than configured: Linux caps
     * {@code SO_RCVBUF} at {@code net.core.rmem_max} (and reports twice what it granted, its own bookkeeping
     * included), so a burst the operator sized the queue for would be dropped by the kernel instead.
     */
    static String receiveBufferShortfall(int port, int asked, int granted) {
        if (granted >= asked) {
            return null;
        }
        return "UDP port " + port + ": the kernel queues " + granted / 1024 + " KiB per socket, not the "
            + asked / 1024 + " KiB configured (tandem.sip.udp-receive-buffer), so bursts beyond it are dropped by the kernel;"
            + " Linux grants at most net.core.rmem_max: raise it, e.g. sysctl -w net.core.rmem_max=" + asked
            + " (docs/operations.md, Kernel settings)";
    }

    private static void reportReceiveBuffer(int port, int asked, Integer granted) {
        String shortfall = granted == null ? null : receiveBufferShortfall(port, asked, granted);
        if (shortfall != null) {
            LOG.warn(shortfall);
        } else {
            LOG.debug("UDP port {}: {} KiB receive queue per socket", port, granted == null ? -1 : granted / 1024);
        }
    }

    private void bindStream(SipPipeline pipeline, SipTransport t, SslContext ssl, String address, int port)
        throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(group)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast("connection-limit", limiter);
                    pipeline.initStream(ch, t, ssl);
                    pool.register(t, ch);
                }
            });
        Channel server = b.bind(address, port).sync().channel();
        servers.add(server);
        bound.put(t, ((ServerSocketChannel) server).localAddress());
    }

    private Bootstrap clientBootstrap(SipPipeline pipeline, SipTransport t, SslContext ssl) {
        return new Bootstrap().group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ConnectionPool.TlsPeer peer = ch.attr(ConnectionPool.TLS_PEER).get();
                    if (ssl != null && peer != null) {
                        pipeline.initStream(ch, t, ssl, peer.name(), peer.port());
                    } else {
                        pipeline.initStream(ch, t, ssl);
                    }
                }
            });
    }

    /** The bound address of a transport, {@code null} when it is off. */
    public InetSocketAddress localAddress(SipTransport t) {
        return bound.get(t);
    }

    /** A sender to a destination, resolving it and reusing connections. */
    public SipSender senderFor(SipDestination d, String callId) {
        return new DestinationSender(d, resolver, pool, udpChannelFor(callId));
    }

    /** A sender to a destination that writes UDP through the socket of {@code executor}'s own loop. */
    public SipSender senderFor(SipDestination d, TransactionExecutor executor) {
        return new DestinationSender(d, resolver, pool, udpChannelFor(executor));
    }

    /** What the kernel granted each UDP socket of the port as its receive queue ({@code SO_RCVBUF} as Linux reports it). */
    public int[] udpReceiveQueues() {
        int[] granted = new int[udpChannels.size()];
        for (int i = 0; i < granted.length; i++) {
            granted[i] = udpChannels.get(i).config().getOption(ChannelOption.SO_RCVBUF);
        }
        return granted;
    }

    /** The UDP socket served by this event loop; {@code null} before binding or for an executor that is not one of ours. */
    public Channel udpChannelFor(TransactionExecutor executor) {
        Channel[] byExecutor = udpChannelByExecutor;
        if (byExecutor == null) {
            return null;
        }
        for (int i = 0; i < executors.length; i++) {
            if (executors[i] == executor) {
                return byExecutor[i];
            }
        }
        return null;
    }

    /**
     * The UDP socket served by the Call-ID's own event loop (all sockets share the port through
     * SO_REUSEPORT), so what the call sends is written where the call runs, without a hand-off to
     * another loop; {@code null} before binding.
     */
    public Channel udpChannelFor(String callId) {
        return udpChannelForHash(callId.hashCode());
    }

    /** {@link #udpChannelFor(String)} for a Call-ID whose {@link String#hashCode()} is {@code hash}. */
    public Channel udpChannelForHash(int hash) {
        Channel[] byExecutor = udpChannelByExecutor;
        return byExecutor == null ? null : byExecutor[(hash & Integer.MAX_VALUE) % byExecutor.length];
    }

    /** How many event loops (and, with epoll, UDP sockets) there are. */
    public int loops() {
        return executors.length;
    }

    /** The RFC 3263 targets of a destination, best first (see {@link SipResolver}). */
    public java.util.concurrent.CompletableFuture<List<SipTarget>> resolve(SipDestination d) {
        return resolver.resolve(d);
    }

    /** Reports a target that failed, so lookups put it last for a while. */
    public void markFailed(SipTarget target) {
        resolver.markFailed(target);
    }

    /** See {@link ConnectionAliases}; ignored before {@link #bind}. */
    public void alias(SipTransport transport, InetSocketAddress listeningAddress, Channel connection) {
        ConnectionPool p = pool;
        if (p != null) {
            p.alias(transport, listeningAddress, connection);
        }
    }

    /**
     * Keeps the open connection from {@code peer} past the idle timeout until {@code untilEpochMillis}
     * (0 ends the hold; the idle timer then closes it): a registered contact's flow.
     *
     * @return whether there is such an open connection
     */
    public boolean holdConnection(SipTransport transport, InetSocketAddress peer, long untilEpochMillis) {
        ConnectionPool p = pool;
        Channel ch = p == null ? null : p.open(transport, peer);
        if (ch == null) {
            return false;
        }
        ch.attr(IdleCloser.HELD_UNTIL).set(untilEpochMillis);
        return true;
    }

    /** Whether a TCP/TLS connection from or to {@code peer} is open now. */
    public boolean connectionOpen(SipTransport transport, InetSocketAddress peer) {
        ConnectionPool p = pool;
        return p != null && p.open(transport, peer) != null;
    }

    public long connectionsRefused() {
        return limiter == null ? 0 : limiter.refused.sum();
    }

    public int openConnections() {
        return pool == null ? 0 : pool.size();
    }

    @Override
    public void close() {
        EventLoopLagProbe probe = lagProbe;
        if (probe != null) {
            probe.stop();
        }
        KernelUdpDrops drops = udpDrops;
        if (drops != null) {
            drops.close();
        }
        for (Channel c : udpChannels) {
            c.close().syncUninterruptibly();
        }
        for (Channel c : servers) {
            c.close().syncUninterruptibly();
        }
        if (resolver != null) {
            resolver.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
