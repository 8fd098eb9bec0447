package io.tandem.softswitch.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real DNS server on a loopback UDP port, authoritative for whatever a test puts in it (A,
 * SRV, NAPTR), so RFC 3263 lookups run over the wire exactly as against a carrier's DNS.
 */
public final class LoopbackDnsServer implements AutoCloseable {
    private record Key(String name, DnsRecordType type) {
    }

    private final Map<Key, List<byte[]>> zone = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    private LoopbackDnsServer() throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
            .handler(new ChannelInitializer<DatagramChannel>() {
                @Override
                protected void initChannel(DatagramChannel ch) {
                    ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Answerer());
                }
            })
            .bind("127.0.0.1", 0).sync().channel();
    }

    public static LoopbackDnsServer start() {
        try {
            return new LoopbackDnsServer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** {@code host:port} as {@code tandem.sip.dns-servers} takes it. */
    public String hostAndPort() {
        return "127.0.0.1:" + address().getPort();
    }

    public int queries() {
        return queries.get();
    }

    public void clear() {
        zone.clear();
    }

    public LoopbackDnsServer a(String name, String ip) {
        try {
            return add(name, DnsRecordType.A, InetAddress.getByName(ip).getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    public LoopbackDnsServer srv(String name, int priority, int weight, int port, String target) {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(priority).writeShort(weight).writeShort(port);
        writeName(b, target);
        return add(name, DnsRecordType.SRV, bytes(b));
    }

    public LoopbackDnsServer naptr(String name, int order, int preference, String flags, String service, String replacement) {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(order).writeShort(preference);
        writeString(b, flags);
        writeString(b, service);
        writeString(b, "");
        writeName(b, replacement);
        return add(name, DnsRecordType.NAPTR, bytes(b));
    }

    private LoopbackDnsServer add(String name, DnsRecordType type, byte[] rdata) {
        zone.computeIfAbsent(new Key(normal(name), type), k -> new CopyOnWriteArrayList<>()).add(rdata);
        return this;
    }

    private static String normal(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static void writeName(ByteBuf b, String name) {
        for (String label : normal(name).split("\\.")) {
            if (!label.isEmpty()) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                b.writeByte(l.length).writeBytes(l);
            }
        }
        b.writeByte(0);
    }

    private static void writeString(ByteBuf b, String s) {
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        b.writeByte(v.length).writeBytes(v);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            queries.incrementAndGet();
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setAuthoritativeAnswer(true).setRecursionDesired(query.isRecursionDesired());
            response.addRecord(DnsSection.QUESTION, question);
            String name = normal(question.name());
            List<byte[]> answers = zone.get(new Key(name, question.type()));
            if (answers != null) {
                for (byte[] rdata : answers) {
                    response.addRecord(DnsSection.ANSWER,
                        new DefaultDnsRawRecord(question.name(), question.type(), 60, Unpooled.wrappedBuffer(rdata)));
                }
            } else if (zone.keySet().stream().noneMatch(k -> k.name().equals(name))) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            }
            ctx.writeAndFlush(response);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
