package io.tandem.softswitch.sip.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.tandem.softswitch.sip.codec.SipTransport;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open TCP/TLS connections by peer address, inbound and outbound, so requests and responses to
 * a peer reuse one connection (RFC 3261 §18.1.1, §18.2.2). A connection leaves the pool when
 * it closes, whether by the peer, by the idle timer or by a framing error.
 */
final class ConnectionPool {
    private record Key(SipTransport transport, InetSocketAddress peer) {
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
            Key k = new Key(transport, peer);
            connections.put(k, CompletableFuture.completedFuture(ch));
            ch.closeFuture().addListener(f -> connections.remove(k));
        }
    }

    /** Makes an open connection reachable under another peer address too, unless one is there. */
    void alias(SipTransport transport, InetSocketAddress peer, Channel ch) {
        Key k = new Key(transport, peer);
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
        Key k = new Key(transport, peer);
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
        ChannelFuture cf = b.connect(peer);
        cf.addListener(f -> {
            if (f.isSuccess()) {
                Channel ch = cf.channel();
                ch.closeFuture().addListener(x -> connections.remove(k, fresh));
                fresh.complete(ch);
            } else {
                connections.remove(k, fresh);
                fresh.completeExceptionally(f.cause());
            }
        });
        return fresh;
    }

    int size() {
        return connections.size();
    }

    private static boolean isUsable(CompletableFuture<Channel> f) {
        return !f.isCompletedExceptionally() && f.getNow(null) != null && f.getNow(null).isActive();
    }
}
