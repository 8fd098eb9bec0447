package io.tandem.softswitch.sip.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import io.tandem.softswitch.sip.codec.SipInbound;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.SipParseFailure;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.Via;
import io.tandem.softswitch.sip.transaction.SipSender;
import io.tandem.softswitch.sip.transaction.TransactionLayer;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last inbound handler: hands messages to the {@link TransactionLayer} with a sender that
 * answers towards their source, and answers failed decodes ({@code 400} with a Warning, or
 * {@code 505}/{@code 513}) when the request can be identified; the rest is dropped and counted.
 */
@ChannelHandler.Sharable
public final class SipInboundHandler extends SimpleChannelInboundHandler<SipInbound> {
    private static final Logger LOG = LoggerFactory.getLogger(SipInboundHandler.class);
    private static final AttributeKey<Boolean> ALIASED = AttributeKey.valueOf("sip.aliased");

    private final TransactionLayer layer;
    private final Function<SipDestination, SipSender> reconnect;
    private final ConnectionAliases aliases;
    private final Function<String, Channel> udpChannelForCallId;
    private final LongAdder malformedAnswered = new LongAdder();
    private final LongAdder malformedDropped = new LongAdder();

    public SipInboundHandler(TransactionLayer layer) {
        this(layer, null, null, null);
    }

    /**
     * @param reconnect opens a sender towards a destination, used when a TCP/TLS request's
     *                  connection has closed before its answer; {@code null} for none
     * @param udpChannelForCallId the UDP socket on a Call-ID's own event loop, which answers its
     *                  requests without a hand-off to the loop that read them; {@code null}: the
     *                  socket that read the request answers
     */
    public SipInboundHandler(TransactionLayer layer, Function<SipDestination, SipSender> reconnect,
                             ConnectionAliases aliases, Function<String, Channel> udpChannelForCallId) {
        super(SipInbound.class);
        this.layer = layer;
        this.reconnect = reconnect;
        this.aliases = aliases;
        this.udpChannelForCallId = udpChannelForCallId;
    }

    public long malformedAnswered() {
        return malformedAnswered.sum();
    }

    public long malformedDropped() {
        return malformedDropped.sum();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SipInbound in) {
        switch (in) {
            case SipInbound.Message m when m.message() instanceof SipRequest r -> {
                if (aliases != null && in.transport() != SipTransport.UDP && in.sender() != null) {
                    aliasOnce(ctx, in.transport(), r.topVia(), in.sender());
                }
                InetSocketAddress source = in.transport() == SipTransport.UDP ? SHARED.get().address(in.sender()) : in.sender();
                layer.onRequest(r, senderFor(ctx, in.transport(), r, source), source, m.admitted());
            }
            case SipInbound.Message m -> layer.onResponse((SipResponse) m.message());
            case SipInbound.Malformed f -> onMalformed(ctx, f);
        }
    }

    private void onMalformed(ChannelHandlerContext ctx, SipInbound.Malformed m) {
        SipParseFailure f = m.failure();
        if (!f.answerable()) {
            malformedDropped.increment();
            if (m.fatal()) {
                ctx.close();
            }
            return;
        }
        malformedAnswered.increment();
        byte[] answer = f.errorResponse(layer.config().warningAgent(), layer.newTag(), m.sender());
        Object out = m.transport() == SipTransport.UDP
            ? new DatagramPacket(Unpooled.wrappedBuffer(answer), responseAddress(f.topVia(), m.sender()))
            : Unpooled.wrappedBuffer(answer);
        var future = ctx.writeAndFlush(out);
        if (m.fatal()) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void aliasOnce(ChannelHandlerContext ctx, SipTransport t, Via top, InetSocketAddress source) {
        if (ctx.channel().attr(ALIASED).setIfAbsent(Boolean.TRUE) == null) {
            int port = top.port() > 0 ? top.port() : t.defaultPort();
            aliases.alias(t, new InetSocketAddress(source.getAddress(), port), ctx.channel());
        }
    }

    private SipSender senderFor(ChannelHandlerContext ctx, SipTransport t, SipRequest r, InetSocketAddress source) {
        Via top = r.topVia();
        if (t == SipTransport.UDP) {
            Channel own = udpChannelForCallId == null ? null : udpChannelForCallId.apply(r.callId());
            return SHARED.get().sender(new ChannelSipSender(own != null ? own : ctx.channel(), responseAddress(top, source)));
        }
        if (reconnect == null || source == null) {
            return new StreamResponseSender(ctx.channel(), null);
        }
        int port = top.port() > 0 ? top.port() : t.defaultPort();
        String host = source.getAddress().getHostAddress();
        return new StreamResponseSender(ctx.channel(), () -> reconnect.apply(new SipDestination(t, host, port)));
    }

    /**
     * RFC 3261 §18.2.2 for unreliable transports: the source address, and the source port when
     * the client asked for {@code rport} (RFC 3581), else the Via port (default 5060).
     */
    static InetSocketAddress responseAddress(Via top, InetSocketAddress source) {
        if (top == null || top.hasRport()) {
            return source;
        }
        int port = top.port() > 0 ? top.port() : SipTransport.UDP.defaultPort();
        return port == source.getPort() ? source : new InetSocketAddress(source.getAddress(), port);
    }

    /**
     * One instance per peer address and per (socket, peer) UDP sender, per event loop: every
     * transaction keeps its source and sender for up to 32 s after its call (Timers J, L), and
     * a datagram brings a new address object (three objects) each time. At thousands of calls a
     * second from a handful of peers, sharing them takes several objects per call out of what the
     * collector must trace. Bounded: a table that outgrows {@value #SHARED_MAX} entries (a source
     * spraying ports) starts over.
     */
    private static final int SHARED_MAX = 4096;
    private static final FastThreadLocal<SharedPeers> SHARED = new FastThreadLocal<>() {
        @Override
        protected SharedPeers initialValue() {
            return new SharedPeers();
        }
    };

    private static final class SharedPeers {
        private final HashMap<InetSocketAddress, InetSocketAddress> addresses = new HashMap<>();
        private final HashMap<ChannelSipSender, ChannelSipSender> senders = new HashMap<>();

        InetSocketAddress address(InetSocketAddress a) {
            if (a == null) {
                return null;
            }
            if (addresses.size() >= SHARED_MAX) {
                addresses.clear();
            }
            InetSocketAddress known = addresses.putIfAbsent(a, a);
            return known != null ? known : a;
        }

        ChannelSipSender sender(ChannelSipSender s) {
            if (senders.size() >= SHARED_MAX) {
                senders.clear();
            }
            ChannelSipSender known = senders.putIfAbsent(s, s);
            return known != null ? known : s;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() instanceof javax.net.ssl.SSLException tls) {
            // A refused certificate or a failed handshake: an outbound request reports it to its transaction
            // (ConnectionPool); one line, no stack, since any stranger can cause it on our listener.
            LOG.warn("TLS with {} failed: {}", ctx.channel().remoteAddress(), tls.getMessage());
            ctx.close();
            return;
        }
        LOG.warn("SIP channel {} failed; closing connections, keeping sockets", ctx.channel(), cause);
        if (!(ctx.channel() instanceof io.netty.channel.socket.DatagramChannel)) {
            ctx.close();
        }
    }
}
