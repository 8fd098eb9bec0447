package io.tandem.softswitch.sip.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.tandem.softswitch.sip.message.SipOctets;
import io.tandem.softswitch.sip.transaction.SipSender;
import java.nio.channels.ClosedChannelException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Answers a request that came over TCP/TLS: on its connection while it is open, else over a new
 * connection to the source address and the Via's port (RFC 3261 §18.2.2).
 *
 * @param channel   the connection the request came on
 * @param reconnect a sender towards the request's source, or {@code null} to give up
 */
record StreamResponseSender(Channel channel, Supplier<SipSender> reconnect) implements SipSender {

    @Override
    public void send(SipOctets message, Consumer<Throwable> onFailure) {
        if (channel.isActive()) {
            channel.writeAndFlush(message).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    onFailure.accept(f.cause());
                }
            });
        } else if (reconnect != null) {
            reconnect.get().send(message, onFailure);
        } else {
            onFailure.accept(new ClosedChannelException());
        }
    }

    @Override
    public boolean reliable() {
        return true;
    }
}
