package io.tandem.softswitch.sip.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.tandem.softswitch.sip.codec.CodecCounters;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.transaction.EventLoopTransactionExecutor;
import io.tandem.softswitch.sip.transaction.SipRequestHandler;
import io.tandem.softswitch.sip.transaction.TransactionConfig;
import io.tandem.softswitch.sip.transaction.TransactionLayer;
import io.tandem.softswitch.sip.transport.SipPipeline;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real SIP pipeline on an {@link EmbeddedChannel}, for UDP (datagrams) or TCP (a byte stream). */
public final class EmbeddedSip {
    public static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);
    public static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5070);

    public final EmbeddedChannel channel;
    public final TransactionLayer layer;
    public final CodecCounters counters = new CodecCounters();
    public final SipPipeline pipeline;
    private final SipTransport transport;

    public EmbeddedSip(SipTransport transport, SipRequestHandler handler) {
        this(transport, handler, TransactionConfig.defaults());
    }

    public EmbeddedSip(SipTransport transport, SipRequestHandler handler, TransactionConfig config) {
        this.transport = transport;
        this.channel = new EmbeddedChannel();
        EventLoopTransactionExecutor executor = new EventLoopTransactionExecutor(channel.eventLoop());
        this.layer = new TransactionLayer(config, handler, callId -> executor);
        this.pipeline = new SipPipeline(layer, counters, null, Duration.ofMinutes(5));
        if (transport == SipTransport.UDP) {
            pipeline.initDatagram(channel);
        } else {
            pipeline.initStream(channel, transport, null);
        }
    }

    /** Feeds the octets as one datagram from {@link #PEER}, or as stream bytes. */
    public void receive(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        channel.writeInbound(transport == SipTransport.UDP ? new DatagramPacket(buf, LOCAL, PEER) : buf);
        channel.runPendingTasks();
    }

    /** Everything written so far, as octets (datagram payloads or stream chunks). */
    public List<byte[]> sent() {
        List<byte[]> out = new ArrayList<>();
        Object o;
        while ((o = channel.readOutbound()) != null) {
            ByteBuf b = o instanceof DatagramPacket p ? p.content() : (ByteBuf) o;
            out.add(ByteBufUtil.getBytes(b));
            b.release();
        }
        return out;
    }

    /** Status codes of what was sent, from each status line (also for answers that copy broken headers). */
    public List<Integer> sentStatuses() {
        List<Integer> out = new ArrayList<>();
        for (byte[] b : sent()) {
            String s = new String(b, 0, Math.min(b.length, 16), java.nio.charset.StandardCharsets.ISO_8859_1);
            if (s.startsWith("SIP/2.0 ")) {
                out.add(Integer.parseInt(s.substring(8, 11)));
            } else {
                out.add(-1);
            }
        }
        return out;
    }
}
