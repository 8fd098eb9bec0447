package io.tandem.softswitch.sip;

import io.tandem.softswitch.sip.codec.CodecCounters;
import io.tandem.softswitch.sip.codec.SipMessageCounts;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.Address;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.message.SipOctets;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipUri;
import io.tandem.softswitch.sip.message.Via;
import io.tandem.softswitch.sip.protection.FloodGuard;
import io.tandem.softswitch.sip.protection.OverloadShedder;
import io.tandem.softswitch.sip.protection.ProtectionCounters;
import io.tandem.softswitch.sip.transaction.ClientTransaction;
import io.tandem.softswitch.sip.transaction.ClientTransactionListener;
import io.tandem.softswitch.sip.transaction.SipRequestHandler;
import io.tandem.softswitch.sip.transaction.SipSender;
import io.tandem.softswitch.sip.transaction.TransactionCounters;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import io.tandem.softswitch.sip.transaction.TransactionLayer;
import io.tandem.softswitch.sip.transport.SipDestination;
import io.tandem.softswitch.sip.transport.SipListeners;
import io.tandem.softswitch.sip.transport.CallIdDispatch;
import io.tandem.softswitch.sip.transport.SipPipeline;
import io.tandem.softswitch.sip.transport.WireTap;
import io.tandem.softswitch.sip.transport.SipTarget;
import io.tandem.softswitch.sip.transport.TlsCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP stack of one node: listeners, parser, flood protection and transactions.
 *
 * <p>Requests that need an answer reach the {@link SipRequestHandler} on a server transaction;
 * the switch starts its own requests with {@link #sendRequest} and sends what needs no
 * transaction (the ACK of a 2xx, a relayed 2xx) with {@link #sendStateless}. Everything for
 * one Call-ID runs on one event loop: {@link #executorFor(String)}.
 *
 * <pre>{@code
 * try (SipStack sip = SipStack.start(SipStackConfig.defaults(), tx -> tx.respond(480))) { ... }
 * }</pre>
 */
public final class SipStack implements SipEndpoint, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipStack.class);

    private final SipStackConfig config;
    private final SipListeners listeners;
    private final TransactionLayer layer;
    private final FloodGuard guard;
    private volatile OverloadShedder shedder;
    private final CodecCounters codecCounters = new CodecCounters();
    private final SipPipeline pipeline;
    private final String viaHost;
    private volatile Address contact;

    private SipStack(SipStackConfig config, SipRequestHandler handler, WireTap tap) {
        this.config = config;
        this.listeners = new SipListeners(config.eventLoops(), config.nativeTransport());
        this.layer = new TransactionLayer(config.transactions(), handler, listeners::executorFor);
        this.guard = new FloodGuard(config.protection());
        // Sources flood protection never limits (allow-list, provisioned peers) hold as many transactions as their traffic needs.
        this.layer.exemptFromSourceLimit(guard::isExempt);
        this.pipeline = new SipPipeline(layer, codecCounters, guard, config.idleTimeout(),
            destination -> listeners.senderFor(destination, ""), listeners::alias, listeners::udpChannelFor, tap);
        this.pipeline.dispatchDatagramsByCallId(new CallIdDispatch(listeners::udpChannelForHash, listeners.loops()));
        String ext = config.externalAddress();
        this.viaHost = ext != null ? ext : config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress();
    }

    /** Binds the configured listeners and starts answering. */
    public static SipStack start(SipStackConfig config, SipRequestHandler handler) {
        return start(config, handler, WireTap.NONE);
    }

    /** As {@link #start(SipStackConfig, SipRequestHandler)}, with every message read or written shown to {@code tap}. */
    public static SipStack start(SipStackConfig config, SipRequestHandler handler, WireTap tap) {
        SipStack stack = new SipStack(config, handler, tap);
        try {
            KeyManagerFactory tls = config.tlsPort() >= 0 || config.tls().keyStore() != null
                ? TlsCertificates.keyManagers(config.tls(), config.dataDir(), stack.viaHost)
                : null;
            TrustManagerFactory trust = TlsCertificates.trustManagers(config.tls());
            stack.listeners.bind(stack.pipeline, new SipListeners.Settings(config.bindAddress(), config.udpPort(),
                config.tcpPort(), config.tlsPort(), tls, trust, config.maxConnectionsPerIp(), config.maxConnections(), config.idleTimeout(),
                config.dnsServers(), config.spreadUdpReads(), config.udpReceiveBuffer()));
            if (config.overload().enabled()) {
                OverloadShedder shedder = new OverloadShedder(config.overload(),
                    stack.listeners.probeLoops(config.overload().interval().toNanos(), stack.pipeline), System::nanoTime);
                stack.shedder = shedder;
                stack.layer.shedNewInvitesUnless(shedder::admit, shedder::limiting, shedder.retryAfterSeconds());
            }
            return stack;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            stack.close();
            throw new IllegalStateException("cannot start SIP on " + config.bindAddress() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stack.close();
            throw new IllegalStateException("interrupted while starting SIP", e);
        }
    }

    public SipStackConfig config() {
        return config;
    }

    /** Where a transport listens, {@code null} when it is off. */
    public InetSocketAddress localAddress(SipTransport transport) {
        return listeners.localAddress(transport);
    }

    /** The event loop that owns everything of this Call-ID. */
    @Override
    public TransactionExecutor executorFor(String callId) {
        return layer.executorFor(callId);
    }

    /** A top Via for a request we originate over {@code transport}: our address, a fresh branch, {@code rport}. */
    @Override
    public Via newVia(SipTransport transport) {
        InetSocketAddress local = listeners.localAddress(transport);
        int port = local != null ? local.getPort() : transport.defaultPort();
        return Via.of(transport.name(), viaHost, port, layer.newBranch()).withParam("rport", null);
    }

    /** A fresh From or To tag. */
    @Override
    public String newTag() {
        return layer.newTag();
    }

    /**
     * Sends a request in a new client transaction (not for ACK). Its top Via must come from
     * {@link #newVia}. The listener is called on {@link #executorFor} the request's Call-ID.
     */
    public ClientTransaction sendRequest(SipRequest request, SipDestination destination,
                                         ClientTransactionListener listener) {
        return layer.startClient(request, listeners.senderFor(destination, request.callId()),
            layer.executorFor(request.callId()), listener);
    }

    @Override
    public ClientTransaction sendRequest(SipRequest request, SipDestination destination, TransactionExecutor executor,
                                         ClientTransactionListener listener) {
        return layer.startClient(request, listeners.senderFor(destination, executor), executor, listener);
    }

    /** Our Contact: the UDP listener's address as others reach it (the external address when set). */
    @Override
    public Address contact() {
        Address known = contact;
        if (known == null) {
            Via via = newVia(SipTransport.UDP);
            known = Address.of(SipUri.sip(null, via.host(), via.port()));
            contact = known;
        }
        return known;
    }

    @Override
    public void sendStateless(SipMessage message, SipDestination destination, TransactionExecutor executor) {
        sendStateless((SipOctets) message, destination, executor);
    }

    @Override
    public void sendStateless(SipOctets message, SipDestination destination, TransactionExecutor executor) {
        listeners.senderFor(destination, executor).send(message,
            cause -> LOG.debug("stateless send to {} failed: {}", destination, cause.toString()));
    }

    /** True when the node was overloaded (or still shedding INVITEs) within {@code window}: see {@link OverloadShedder#overloadedWithin}. */
    @Override
    public boolean overloadedWithin(java.time.Duration window) {
        OverloadShedder s = shedder;
        return s != null && s.overloadedWithin(window);
    }

    /** The overload shedder, null when shedding is off. */
    public OverloadShedder overload() {
        return shedder;
    }

    @Override
    public boolean holdConnection(SipTransport transport, InetSocketAddress peer, long untilEpochMillis) {
        return listeners.holdConnection(transport, peer, untilEpochMillis);
    }

    @Override
    public boolean connectionOpen(SipTransport transport, InetSocketAddress peer) {
        return listeners.connectionOpen(transport, peer);
    }

    @Override
    public void ban(java.net.InetAddress source) {
        guard.ban(source);
    }

    @Override
    public boolean isBanned(java.net.InetAddress source) {
        return guard.isBanned(source);
    }

    /**
     * Provisioned peers (trunk CIDRs, vendor gateways, trusted proxies): flood protection never
     * limits or bans them and their server transactions do not count against the per-source cap.
     * Must answer from memory; it runs per message.
     */
    public void trust(java.util.function.Predicate<java.net.InetAddress> provisioned) {
        guard.trust(provisioned);
    }

    /**
     * A sender towards a destination (resolved once, connections reused), for callers that
     * manage their own transactions with {@link #transactions()}.
     */
    public SipSender senderFor(SipDestination destination, String callId) {
        return listeners.senderFor(destination, callId);
    }

    /**
     * The RFC 3263 targets of a destination, best first; completes on an event loop or at once
     * when cached. A client tries them in turn on a transport error, a timeout or a 503 and
     * reports each failure with {@link #markFailed}.
     */
    @Override
    public CompletableFuture<List<SipTarget>> resolve(SipDestination destination) {
        return listeners.resolve(destination);
    }

    /** A target did not answer: later lookups try it last for a while (RFC 3263 §4.3). */
    @Override
    public void markFailed(SipTarget target) {
        listeners.markFailed(target);
    }

    /** The transaction layer, to start client transactions with a sender of one's own. */
    public TransactionLayer transactions() {
        return layer;
    }

    /** Sends a message outside any transaction: the ACK of a 2xx, a stateless relay. */
    public void sendStateless(SipMessage message, SipDestination destination) {
        sendStateless(message, message.callId(), destination);
    }

    /** {@link #sendStateless(SipMessage, SipDestination)} for octets kept from an earlier send of the call {@code callId}. */
    public void sendStateless(SipOctets message, String callId, SipDestination destination) {
        listeners.senderFor(destination, callId).send(message,
            cause -> LOG.debug("stateless send to {} failed: {}", destination, cause.toString()));
    }

    public SipStackStats stats() {
        TransactionCounters t = layer.counters();
        ProtectionCounters p = guard.counters();
        return new SipStackStats(codecCounters.decoded(), codecCounters.malformed(),
            pipeline.inboundHandler().malformedAnswered(), pipeline.inboundHandler().malformedDropped(),
            codecCounters.keepAlives(), t.serverTransactions(), t.clientTransactions(), t.retransmissionsAbsorbed(),
            t.strayResponses(), t.statelessOptions(), t.rejected(), t.timeouts(), t.transportErrors(), p.passed(),
            p.droppedBanned(), p.bans(), p.droppedScanners(), listeners.connectionsRefused(), layer.size());
    }

    /**
     * UDP datagrams read by one event loop and decoded on their Call-ID's loop ({@link CallIdDispatch}), and
     * those decoded where they were read because their loop's hand-off queue was full.
     */
    public long[] datagramsHandedOffAndKept() {
        CallIdDispatch d = pipeline.callIdDispatch();
        return d == null ? new long[] {0, 0} : new long[] {d.handedOff(), d.keptForFullOwner()};
    }

    /** UDP datagrams read so far by each of the port's sockets (one per event loop with epoll). */
    public long[] datagramsReadPerSocket() {
        return pipeline.datagramsReadPerSocket();
    }

    /** The receive queue the kernel granted each UDP socket, in octets as Linux reports it (twice what it lets data use). */
    public int[] udpReceiveQueues() {
        return listeners.udpReceiveQueues();
    }

    /** Messages decoded, by method and status (metrics). */
    public SipMessageCounts messagesReceived() {
        return codecCounters.received();
    }

    /** Messages written, by method and status (metrics). */
    public SipMessageCounts messagesSent() {
        return codecCounters.sent();
    }

    /** Flood protection, e.g. to ban or inspect a source by hand. */
    public FloodGuard floodGuard() {
        return guard;
    }

    @Override
    public void close() {
        listeners.close();
    }
}
