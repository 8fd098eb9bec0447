package io.tandem.softswitch.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.tandem.softswitch.sip.codec.AdmittedDatagram;
import io.tandem.softswitch.sip.message.RequestHead;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.TransactionLayer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses the excess of an overload before it is parsed. While the overload budget is limiting
 * ({@link TransactionLayer#sheddingNewInvites()}), each UDP datagram gets a glance ({@link RequestHead}) instead of
 * going straight to the parser: a new INVITE that the budget refuses is answered {@code 503} with
 * {@code Retry-After} from the octets it came in, and the ACK that comes back for such a 503 (its To tag is an
 * overload tag) is dropped. Neither is parsed, screened, captured or handed to the transaction layer. Everything
 * else, and every datagram the glance cannot read, goes on to the parser as before; an INVITE the budget admitted
 * goes on marked ({@link AdmittedDatagram}) so the budget is not asked twice.
 *
 * <p>At four times a node's capacity, three of every four INVITEs are refused and each brings an ACK: without
 * this, the node spent most of its time parsing and answering calls it would not take.
 *
 * <p>It sits after the Call-ID hand-off, on the event loop that owns the datagram's Call-ID: the decision needs
 * the transactions of that Call-ID ({@link TransactionLayer#decideNewInvite(String)}), which only that loop makes.
 * Requests a scanner's User-Agent marks go on to the scanner filter (silence, not a 503).
 */
@ChannelHandler.Sharable
public final class OverloadEdge extends ChannelInboundHandlerAdapter {
    /** The handler's name in each UDP pipeline. */
    public static final String NAME = "overload-edge";
    private static final Logger LOG = LoggerFactory.getLogger(OverloadEdge.class);
    private static final String REASON = SipResponse.reasonPhrase(503);

    /** A refusal that could not be sent is not retried (stateless); the client retransmits its INVITE. */
    private static final ChannelFutureListener NOT_SENT = f -> {
        if (!f.isSuccess()) {
            LOG.debug("overload 503 not sent: {}", f.cause().toString());
        }
    };

    private final TransactionLayer layer;
    private final Predicate<String> scannerAgent;

    /**
     * @param scannerAgent whether a User-Agent is a scanning tool's (those requests are silenced further on);
     *                     {@code null} when scanners are not silenced
     */
    public OverloadEdge(TransactionLayer layer, Predicate<String> scannerAgent) {
        this.layer = layer;
        this.scannerAgent = scannerAgent;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet) || !layer.sheddingNewInvites() || !packet.content().hasArray()) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf content = packet.content();
        RequestHead head = RequestHead.glance(content.array(), content.arrayOffset() + content.readerIndex(), content.readableBytes());
        if (head == null || head.hasRoute()) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!head.isInvite()) {
            if (head.toTag() != null && TransactionLayer.isShedTag(head.toTag())) {
                layer.countShedAckDropped();
                packet.release();
                return;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        String key = head.serverKey();
        if (head.toTag() != null || key == null || fromScanner(head)) {
            ctx.fireChannelRead(msg);
            return;
        }
        switch (layer.decideNewInvite(key)) {
            case PASS -> ctx.fireChannelRead(msg);
            case ADMITTED -> ctx.fireChannelRead(new AdmittedDatagram(packet));
            case SHED -> {
                byte[] answer = head.statelessResponse(503, REASON, layer.newShedTag(), packet.sender(), "Retry-After",
                    layer.shedRetryAfter());
                DatagramPacket out = new DatagramPacket(Unpooled.wrappedBuffer(answer),
                    SipInboundHandler.responseAddress(head.topVia(), packet.sender()));
                packet.release();
                ctx.writeAndFlush(out).addListener(NOT_SENT);
            }
        }
    }

    /** Whether the User-Agent is a scanner's; read only when scanners are silenced at all. */
    private boolean fromScanner(RequestHead head) {
        if (scannerAgent == null) {
            return false;
        }
        String agent = head.userAgent();
        return agent != null && scannerAgent.test(agent);
    }
}
