package io.tandem.softswitch.sip.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.socket.DatagramChannel;
import io.tandem.softswitch.sip.message.SipOctets;
import io.tandem.softswitch.sip.transaction.SipSender;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.function.Consumer;

/**
 * Sends over one channel: a UDP socket to {@code recipient}, or a TCP/TLS connection
 * ({@code recipient} unused). Writes are thread-safe; Netty queues them onto the channel's loop.
 *
 * @param channel   the socket or connection
 * @param recipient where datagrams go; {@code null} for connections
 */
public record ChannelSipSender(Channel channel, InetSocketAddress recipient) implements SipSender {

    @Override
    public void send(SipOctets message, Consumer<Throwable> onFailure) {
        if (!channel.isActive()) {
            onFailure.accept(new ClosedChannelException());
            return;
        }
        Object out = recipient == null ? message : new DefaultAddressedEnvelope<>(message, recipient);
        channel.writeAndFlush(out).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                onFailure.accept(f.cause());
            }
        });
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return recipient != null ? recipient : (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public boolean reliable() {
        return !(channel instanceof DatagramChannel) && recipient == null;
    }
}
