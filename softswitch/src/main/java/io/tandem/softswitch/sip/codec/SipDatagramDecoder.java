package io.tandem.softswitch.sip.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import java.util.List;

/**
 * Decodes one datagram into one {@link SipInbound}. A datagram is exactly one message
 * (RFC 3261 §18.3): octets after the Content-Length are ignored, a missing Content-Length
 * means "to the end". CRLF-only datagrams are keep-alives and produce nothing.
 * See {@link SipParser} for the limits.
 */
@ChannelHandler.Sharable
public final class SipDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {
    private final CodecCounters counters;

    public SipDatagramDecoder(CodecCounters counters) {
        super(DatagramPacket.class);
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf content = packet.content();
        int len = content.readableBytes();
        byte[] bytes;
        int from;
        if (content instanceof UnpooledHeapByteBuf) {
            // the transport's exact-size copy: parsed in place (the message keeps the array, and an unpooled
            // buffer's array is never handed out again; a pooled one's would be, once the packet is released)
            bytes = content.array();
            from = content.arrayOffset() + content.readerIndex();
        } else {
            bytes = new byte[len];
            content.getBytes(content.readerIndex(), bytes);
            from = 0;
        }
        SipParseResult r = SipParser.parse(bytes, from, len);
        switch (r) {
            case SipParseResult.Parsed p -> {
                counters.decoded.increment();
                counters.received().count(p.message());
                out.add(new SipInbound.Message(p.message(), packet.sender(), SipTransport.UDP, packet instanceof AdmittedDatagram));
            }
            case SipParseResult.Failed f -> {
                counters.malformed.increment();
                out.add(new SipInbound.Malformed(f.failure(), packet.sender(), SipTransport.UDP, false));
            }
            case SipParseResult.KeepAlive k -> counters.keepAlives.increment();
        }
    }
}
