package io.tandem.softswitch.sip.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;

/**
 * Closes a TCP/TLS connection that has been idle for the configured time (RFC 3261 §18 leaves this to us),
 * unless a registered contact's binding holds it open (a NAT lets calls to the contact in only on the
 * connection it registered on, docs/registrations.md): then it stays until the hold ends, and closes at the
 * first idle check after that.
 */
@ChannelHandler.Sharable
final class IdleCloser extends ChannelInboundHandlerAdapter {
    static final IdleCloser INSTANCE = new IdleCloser();
    /** UTC epoch millis until which a registration holds the connection open. */
    static final AttributeKey<Long> HELD_UNTIL = AttributeKey.valueOf("tandem.sip.held-until");

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            Long heldUntil = ctx.channel().attr(HELD_UNTIL).get();
            if (heldUntil == null || heldUntil <= System.currentTimeMillis()) {
                ctx.close();
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }
}
