package io.tandem.softswitch.sip.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultAddressedEnvelope;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.SipOctets;
import io.tandem.softswitch.sip.transaction.SipSender;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sends to a {@link SipDestination}: resolves it once (off the event loop) into its RFC 3263
 * targets, then writes over a UDP socket or a pooled connection. When the first send fails at the
 * transport (connection refused, unreachable), the next target is tried (§4.3) and the failed one
 * reported to the resolver. Retransmissions reuse the target that took the request.
 */
final class DestinationSender implements SipSender {
    private final SipDestination destination;
    private final SipResolver resolver;
    private final ConnectionPool pool;
    private final Channel udp;
    private volatile SipTarget chosen;

    DestinationSender(SipDestination destination, SipResolver resolver, ConnectionPool pool, Channel udp) {
        if (destination.lookup() == SipDestination.Lookup.NAPTR) {
            throw new IllegalArgumentException("NAPTR chooses the transport: resolve " + destination.host()
                + " first (SipStack.resolve) and send to one of its targets");
        }
        this.destination = destination;
        this.resolver = resolver;
        this.pool = pool;
        this.udp = udp;
    }

    @Override
    public void send(SipOctets message, Consumer<Throwable> onFailure) {
        SipTarget t = chosen;
        if (t != null) {
            sendTo(t, message, onFailure);
            return;
        }
        resolver.resolve(destination).whenComplete((targets, err) -> {
            if (err != null) {
                onFailure.accept(err instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : err);
            } else {
                sendToFirstWorking(targets, 0, message, onFailure);
            }
        });
    }

    private void sendToFirstWorking(List<SipTarget> targets, int index, SipOctets message, Consumer<Throwable> onFailure) {
        SipTarget t = targets.get(index);
        chosen = t;
        sendTo(t, message, cause -> {
            if (index + 1 < targets.size()) {
                resolver.markFailed(t);
                sendToFirstWorking(targets, index + 1, message, onFailure);
            } else {
                onFailure.accept(cause);
            }
        });
    }

    private void sendTo(SipTarget t, SipOctets message, Consumer<Throwable> onFailure) {
        InetSocketAddress a = t.address();
        if (t.transport() == SipTransport.UDP) {
            if (udp == null) {
                onFailure.accept(new IllegalStateException("UDP is not enabled"));
                return;
            }
            udp.writeAndFlush(new DefaultAddressedEnvelope<>(message, a)).addListener(failureTo(onFailure));
            return;
        }
        if (destination.lookup() == SipDestination.Lookup.FLOW) {
            Channel open = pool.open(t.transport(), a);
            if (open == null) {
                onFailure.accept(new FlowClosedException(t.transport(), a));
            } else {
                open.writeAndFlush(message).addListener(failureTo(onFailure));
            }
            return;
        }
        pool.acquire(t.transport(), a, destination.tlsName()).whenComplete((ch, err) -> {
            if (err != null) {
                onFailure.accept(err);
            } else {
                ch.writeAndFlush(message).addListener(failureTo(onFailure));
            }
        });
    }

    private static ChannelFutureListener failureTo(Consumer<Throwable> onFailure) {
        return f -> {
            if (!f.isSuccess()) {
                onFailure.accept(f.cause());
            }
        };
    }

    @Override
    public boolean reliable() {
        return destination.transport().reliable();
    }
}
