package io.tandem.softswitch.sip.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tandem.softswitch.sip.codec.CodecCounters;
import io.tandem.softswitch.sip.codec.SipDatagramDecoder;
import io.tandem.softswitch.sip.codec.SipMessageEncoder;
import io.tandem.softswitch.sip.codec.SipStreamDecoder;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.protection.FloodFilter;
import io.tandem.softswitch.sip.protection.FloodGuard;
import io.tandem.softswitch.sip.protection.ScannerFilter;
import io.tandem.softswitch.sip.transaction.SipSender;
import io.tandem.softswitch.sip.transaction.TransactionLayer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Puts the SIP handlers on a channel, in the order every message meets them. UDP:
 * {@code backlog meter -> exact-size copy -> flood filter -> Call-ID hand-off -> overload edge -> decoder -> scanner filter ->
 * inbound}; TCP/TLS:
 * {@code [tls] -> idle close -> decoder -> flood filter -> scanner filter -> inbound}.
 * The encoder sits before the inbound handler on the way out; a {@link WireTap}, when given, sits
 * between the encoder and the inbound handler. The listeners and the
 * {@code EmbeddedChannel} tests use the same pipeline.
 */
public final class SipPipeline {
    private final CodecCounters counters;
    private final SipMessageEncoder encoder;
    private final Duration idleTimeout;
    private final SipInboundHandler inbound;
    private final FloodFilter floodFilter;
    private final ScannerFilter scannerFilter;
    private final WireTap tap;
    private final ReadBacklog readBacklog = new ReadBacklog();
    private final OverloadEdge overloadEdge;
    private volatile CallIdDispatch callIdDispatch;

    /**
     * @param layer        where decoded messages go
     * @param counters     decoder counters shared by all channels
     * @param guard        flood protection, or {@code null} for none
     * @param idleTimeout  connections without traffic this long are closed
     */
    public SipPipeline(TransactionLayer layer, CodecCounters counters, FloodGuard guard, Duration idleTimeout) {
        this(layer, counters, guard, idleTimeout, null, null, null);
    }

    /**
     * As above, with a way to reach a TCP/TLS client whose connection closed before its answer,
     * and a registry that lets accepted connections be reused for requests to their peer.
     */
    public SipPipeline(TransactionLayer layer, CodecCounters counters, FloodGuard guard, Duration idleTimeout,
                       Function<SipDestination, SipSender> reconnect, ConnectionAliases aliases,
                       Function<String, Channel> udpChannelForCallId) {
        this(layer, counters, guard, idleTimeout, reconnect, aliases, udpChannelForCallId, WireTap.NONE);
    }

    /**
     * As above, with a tap that sees every message read or written ({@link WireTap#NONE}: no tap
     * handler at all on the channels).
     */
    public SipPipeline(TransactionLayer layer, CodecCounters counters, FloodGuard guard, Duration idleTimeout,
                       Function<SipDestination, SipSender> reconnect, ConnectionAliases aliases,
                       Function<String, Channel> udpChannelForCallId, WireTap tap) {
        this.tap = tap;
        this.counters = counters;
        this.encoder = new SipMessageEncoder(counters);
        this.idleTimeout = idleTimeout;
        this.inbound = new SipInboundHandler(layer, reconnect, aliases, udpChannelForCallId);
        boolean on = guard != null && guard.config().enabled();
        this.floodFilter = on ? new FloodFilter(guard) : null;
        this.scannerFilter = on && guard.config().dropScanners() ? new ScannerFilter(guard) : null;
        ScannerFilter scanners = scannerFilter;
        this.overloadEdge = new OverloadEdge(layer, scanners == null ? null : scanners::isScannerAgent);
    }

    /** How long the UDP sockets of this pipeline have stayed backlogged (see {@link ReadBacklog}). */
    long worstReadBacklogNanos() {
        return readBacklog.worstBacklogNanos();
    }

    /** Datagrams read so far by each UDP socket of this pipeline, in the order the sockets were bound. */
    public long[] datagramsReadPerSocket() {
        return readBacklog.datagramsPerSocket();
    }

    /**
     * UDP datagrams are decoded on their Call-ID's event loop, not on the loop whose socket read them
     * (see {@link CallIdDispatch}); set before the sockets are bound.
     */
    public void dispatchDatagramsByCallId(CallIdDispatch dispatch) {
        this.callIdDispatch = dispatch;
    }

    /** The Call-ID hand-off of UDP datagrams, {@code null} when there is none. */
    public CallIdDispatch callIdDispatch() {
        return callIdDispatch;
    }

    public SipInboundHandler inboundHandler() {
        return inbound;
    }

    public void initDatagram(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("read-backlog", readBacklog.newMeter());
        p.addLast("exact-size", ExactSizeDatagrams.INSTANCE);
        if (floodFilter != null) {
            p.addLast("flood-filter", floodFilter);
        }
        CallIdDispatch dispatch = callIdDispatch;
        if (dispatch != null) {
            p.addLast(CallIdDispatch.NAME, dispatch);
        }
        p.addLast(OverloadEdge.NAME, overloadEdge);
        p.addLast("sip-decoder", new SipDatagramDecoder(counters));
        if (scannerFilter != null) {
            p.addLast("scanner-filter", scannerFilter);
        }
        p.addLast("sip-encoder", encoder);
        addTap(p, SipTransport.UDP);
        p.addLast("sip-inbound", inbound);
    }

    private void addTap(ChannelPipeline p, SipTransport transport) {
        if (tap != WireTap.NONE) {
            p.addLast("sip-tap", taps.computeIfAbsent(transport, t -> new WireTapHandler(tap, t, java.time.Clock.systemUTC())));
        }
    }

    private final java.util.Map<SipTransport, WireTapHandler> taps = new java.util.concurrent.ConcurrentHashMap<>();

    public void initStream(Channel ch, SipTransport transport, SslContext ssl) {
        initStream(ch, transport, ssl, null, -1);
    }

    /**
     * A connection we open to a TLS peer that must prove to be {@code serverName}: its certificate
     * chain is checked against our trust store and its subjectAltName against the name (a DNS name,
     * or an IP address for a peer given as one; RFC 5922 §7.2, checked the way RFC 6125 / HTTPS
     * does, which JSSE implements), and the name goes in SNI (RFC 6066 §3; never an IP literal).
     */
    public void initStream(Channel ch, SipTransport transport, SslContext ssl, String serverName, int port) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null && serverName != null) {
            SslHandler handler = ssl.newHandler(ch.alloc(), serverName, port);
            SSLEngine engine = handler.engine();
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (!new SipDestination(transport, serverName, port).hostIsIpLiteral()) {
                params.setServerNames(List.of(new SNIHostName(serverName)));
            }
            engine.setSSLParameters(params);
            p.addLast("tls", handler);
        } else if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        p.addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("idle-close", IdleCloser.INSTANCE);
        p.addLast("sip-decoder", new SipStreamDecoder(transport, counters));
        if (floodFilter != null) {
            p.addLast("flood-filter", floodFilter);
        }
        if (scannerFilter != null) {
            p.addLast("scanner-filter", scannerFilter);
        }
        p.addLast("sip-encoder", encoder);
        addTap(p, transport);
        p.addLast("sip-inbound", inbound);
    }
}
