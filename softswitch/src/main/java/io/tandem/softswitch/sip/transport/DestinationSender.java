package io.tandem.softswitch.sip.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultAddressedEnvelope;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.message.SipMessage;
import io.tandem.softswitch.sip.transaction.SipSender;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Sends to a {@link SipDestination}: resolves it once (off the event loop), then writes over a
 * UDP socket or a pooled connection. Retransmissions reuse the resolved address.
 */
final class DestinationSender implements SipSender {
    private final SipDestination destination;
    private final SipResolver resolver;
    private final ConnectionPool pool;
    private final Channel udp;
    private volatile InetSocketAddress resolved;

    DestinationSender(SipDestination destination, SipResolver resolver, ConnectionPool pool, Channel udp) {
        this.destination = destination;
        this.resolver = resolver;
        this.pool = pool;
        this.udp = udp;
    }

    @Override
    public void send(SipMessage message, Consumer<Throwable> onFailure) {
        InetSocketAddress a = resolved;
        if (a != null) {
            sendTo(a, message, onFailure);
            return;
        }
        resolver.resolve(destination).whenComplete((addr, err) -> {
            if (err != null) {
                onFailure.accept(err);
            } else {
                resolved = addr;
                sendTo(addr, message, onFailure);
            }
        });
    }

    private void sendTo(InetSocketAddress a, SipMessage message, Consumer<Throwable> onFailure) {
        if (destination.transport() == SipTransport.UDP) {
            if (udp == null) {
                onFailure.accept(new IllegalStateException("UDP is not enabled"));
                return;
            }
            udp.writeAndFlush(new DefaultAddressedEnvelope<>(message, a)).addListener(failureTo(onFailure));
            return;
        }
        pool.acquire(destination.transport(), a).whenComplete((ch, err) -> {
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
