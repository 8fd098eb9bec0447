package io.tandem.softswitch.sip.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.tandem.softswitch.sip.codec.SipTransport;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * Open TCP/TLS connections by peer address, inbound and outbound, so requests and responses to
 * a peer reuse one connection (RFC 3261 §18.1.1, §18.2.2). A connection leaves the pool when
 * it closes, whether by the peer, by the idle timer or by a framing error.
 *
 * <p>An outbound TLS connection is keyed by the name its certificate was verified for as well
 * (RFC 5922 §7.3): a request to another domain at the same address opens and verifies its own. It
 * is handed out only once its handshake succeeded, so a peer whose certificate fails (untrusted
 * chain, wrong name) fails the request at once as a transport error. Once verified it is also the
 * connection for requests addressed to its bare address (in-dialog requests to a vendor's Contact),
 * which were already authenticated by that handshake.
 */
final class ConnectionPool {
    /** The name an outbound TLS connection's certificate must carry, read by the channel initializer. */
    static final AttributeKey<TlsPeer> TLS_PEER = AttributeKey.valueOf("tandem.sip.tls.peer");

    /** Who an outbound TLS connection goes to: the name to verify and send as SNI, and the port (for session reuse). */
    record TlsPeer(String name, int port) {
    }

    private record Key(SipTransport transport, InetSocketAddress peer, String serverName) {
    }

    private final ConcurrentHashMap<Key, CompletableFuture<Channel>> connections = new ConcurrentHashMap<>();
    private final Bootstrap tcp;
    private final Bootstrap tls;

    ConnectionPool(Bootstrap tcp, Bootstrap tls) {
        this.tcp = tcp;
        this.tls = tls;
    }

    /** Remembers a connection the peer opened. */
    void register(SipTransport transport, Channel ch) {
        if (ch.remoteAddress() instanceof InetSocketAddress peer) {
            Key k = new Key(transport, peer, null);
            connections.put(k, CompletableFuture.completedFuture(ch));
            ch.closeFuture().addListener(f -> connections.remove(k));
        }
    }

    /** Makes an open connection reachable under another peer address too, unless one is there. */
    void alias(SipTransport transport, InetSocketAddress peer, Channel ch) {
        alias(new Key(transport, peer, null), ch);
    }

    private void alias(Key k, Channel ch) {
        CompletableFuture<Channel> f = CompletableFuture.completedFuture(ch);
        CompletableFuture<Channel> existing = connections.putIfAbsent(k, f);
        if (existing == null) {
            ch.closeFuture().addListener(x -> connections.remove(k, f));
        } else if (existing.isDone() && !isUsable(existing) && connections.replace(k, existing, f)) {
            ch.closeFuture().addListener(x -> connections.remove(k, f));
        }
    }

    /** An open connection to the peer, connecting if there is none. */
    CompletableFuture<Channel> acquire(SipTransport transport, InetSocketAddress peer) {
        return acquire(transport, peer, null);
    }

    /**
     * An open connection to the peer, connecting if there is none; over TLS verified for
     * {@code serverName} (null: for the peer's address).
     */
    CompletableFuture<Channel> acquire(SipTransport transport, InetSocketAddress peer, String serverName) {
        Key k = new Key(transport, peer, transport == SipTransport.TLS ? serverName : null);
        CompletableFuture<Channel> existing = connections.get(k);
        if (existing != null && (!existing.isDone() || isUsable(existing))) {
            return existing;
        }
        CompletableFuture<Channel> fresh = new CompletableFuture<>();
        CompletableFuture<Channel> raced = existing == null ? connections.putIfAbsent(k, fresh)
            : connections.replace(k, existing, fresh) ? null : connections.get(k);
        if (raced != null) {
            return raced;
        }
        Bootstrap b = transport == SipTransport.TLS ? tls : tcp;
        if (b == null) {
            connections.remove(k, fresh);
            fresh.completeExceptionally(new IllegalStateException(transport + " is not enabled"));
            return fresh;
        }
        String verifyAs = serverName != null ? serverName : peer.getAddress().getHostAddress();
        if (transport == SipTransport.TLS) {
            b = b.clone().attr(TLS_PEER, new TlsPeer(verifyAs, peer.getPort()));
        }
        ChannelFuture cf = b.connect(peer);
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                connections.remove(k, fresh);
                fresh.completeExceptionally(f.cause());
                return;
            }
            Channel ch = cf.channel();
            ch.closeFuture().addListener(x -> connections.remove(k, fresh));
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (ssl == null) {
                fresh.complete(ch);
                return;
            }
            ssl.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    fresh.complete(ch);
                    if (k.serverName() != null) {
                        alias(new Key(transport, peer, null), ch);
                    }
                } else {
                    connections.remove(k, fresh);
                    fresh.completeExceptionally(new SSLException("TLS to " + verifyAs + " at " + peer + " failed: "
                        + h.cause().getMessage(), h.cause()));
                    ch.close();
                }
            });
        });
        return fresh;
    }

    /** The open connection to a peer (by its address as seen on the socket), or null; never connects. */
    Channel open(SipTransport transport, InetSocketAddress peer) {
        CompletableFuture<Channel> f = connections.get(new Key(transport, peer, null));
        return f != null && f.isDone() && isUsable(f) ? f.getNow(null) : null;
    }

    int size() {
        return connections.size();
    }

    private static boolean isUsable(CompletableFuture<Channel> f) {
        return !f.isCompletedExceptionally() && f.getNow(null) != null && f.getNow(null).isActive();
    }
}
