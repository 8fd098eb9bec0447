package io.tandem.softswitch.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Hands each UDP datagram to the event loop that owns its Call-ID before it is parsed. Unless the reads
 * are spread ({@link ReusePortSpread}), the kernel picks the {@code SO_REUSEPORT} socket by the sender's
 * address and port, so all of one peer's
 * traffic (a carrier's SBC, a load balancer, a flood) lands on one socket and one loop, which would
 * then parse, screen and refuse every message alone while the other loops idle and that socket's
 * queue overflows. Here the reading loop only finds the Call-ID (a byte scan of the header lines, no
 * parse) and passes the datagram to the owning loop's copy of the pipeline, right after this handler;
 * decoding, shedding, transactions and answers then run where the call lives anyway (responses go out
 * through the owner's socket, as before).
 *
 * <p>Order: the datagrams one socket reads are queued to each owner in the order read. When the reads are
 * spread over the sockets ({@link ReusePortSpread}), two datagrams of one sender read by two loops may
 * reach their owner in the other order, as UDP allows. A datagram whose Call-ID is not found (malformed,
 * a keep-alive) stays where it was read.
 * Memory is bounded: when an owner already has {@value #MAX_QUEUED_PER_LOOP} datagrams queued from other
 * loops, the reading loop decodes the datagram itself, as it did before this hand-off existed.
 */
@ChannelHandler.Sharable
public final class CallIdDispatch extends ChannelInboundHandlerAdapter {
    /** The handler's name in each UDP pipeline; handed-off datagrams continue after it. */
    public static final String NAME = "call-id-dispatch";
    static final int MAX_QUEUED_PER_LOOP = 8192;
    private static final long NOT_FOUND = -1;
    /** Only the start of a datagram is searched: the Call-ID is a header, and headers come first. */
    private static final int MAX_SCAN = 8192;

    private final IntFunction<Channel> ownerOfHash;
    private final int loops;
    private final AtomicIntegerArray queued;
    private final LongAdder handedOff = new LongAdder();
    private final LongAdder keptForFullOwner = new LongAdder();

    /**
     * @param ownerOfHash the UDP socket whose loop owns a Call-ID with this {@link String#hashCode()}
     *                    ({@code null} when the sockets are not bound yet)
     * @param loops       how many loops there are (indexes {@code ownerIndex} of the owner)
     */
    public CallIdDispatch(IntFunction<Channel> ownerOfHash, int loops) {
        this.ownerOfHash = ownerOfHash;
        this.loops = loops;
        this.queued = new AtomicIntegerArray(Math.max(1, loops));
    }

    /** Datagrams read on one loop and decoded on their Call-ID's loop. */
    public long handedOff() {
        return handedOff.sum();
    }

    /** Datagrams decoded where they were read because their owner's queue was full. */
    public long keptForFullOwner() {
        return keptForFullOwner.sum();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        long hash = callIdHash(packet.content());
        Channel owner = hash == NOT_FOUND ? null : ownerOfHash.apply((int) hash);
        if (owner == null || owner == ctx.channel() || owner.eventLoop().inEventLoop()) {
            ctx.fireChannelRead(msg);
            return;
        }
        ChannelHandlerContext next = owner.pipeline().context(NAME);
        int slot = ((int) hash & Integer.MAX_VALUE) % loops;
        if (next == null || queued.incrementAndGet(slot) > MAX_QUEUED_PER_LOOP) {
            if (next != null) {
                queued.decrementAndGet(slot);
                keptForFullOwner.increment();
            }
            ctx.fireChannelRead(msg);
            return;
        }
        handedOff.increment();
        owner.eventLoop().execute(() -> {
            queued.decrementAndGet(slot);
            next.fireChannelRead(packet);
        });
    }

    /**
     * The {@link String#hashCode()} of the Call-ID ({@code Call-ID:} or compact {@code i:}, any case)
     * in the header lines of a SIP message, as an unsigned value; {@link #NOT_FOUND} when there is none.
     * The value is taken as it stands on its line, without surrounding white space (a Call-ID has none
     * inside, RFC 3261 §25.1); a folded one hashes differently, which only costs that message a hop.
     */
    static long callIdHash(ByteBuf buf) {
        int end = buf.writerIndex();
        int start = buf.readerIndex();
        int limit = Math.min(end, start + MAX_SCAN);
        int line = nextLine(buf, start, limit);
        while (line >= 0 && line < limit) {
            byte first = buf.getByte(line);
            if (first == '\r' || first == '\n') {
                return NOT_FOUND;
            }
            int colon = nameEnd(buf, line, limit);
            if (colon > 0) {
                return valueHash(buf, colon + 1, end);
            }
            line = nextLine(buf, line, limit);
        }
        return NOT_FOUND;
    }

    /** The position after {@code Call-ID} / {@code i} and optional blanks, at the colon; -1 if the line is another header. */
    private static int nameEnd(ByteBuf buf, int line, int limit) {
        int p = line;
        byte b = lower(buf.getByte(p));
        if (b == 'i') {
            p++;
        } else if (b == 'c' && p + 7 <= limit && matchesCallId(buf, p)) {
            p += 7;
        } else {
            return -1;
        }
        while (p < limit && (buf.getByte(p) == ' ' || buf.getByte(p) == '\t')) {
            p++;
        }
        return p < limit && buf.getByte(p) == ':' ? p : -1;
    }

    private static boolean matchesCallId(ByteBuf buf, int p) {
        return lower(buf.getByte(p + 1)) == 'a' && lower(buf.getByte(p + 2)) == 'l' && lower(buf.getByte(p + 3)) == 'l'
            && buf.getByte(p + 4) == '-' && lower(buf.getByte(p + 5)) == 'i' && lower(buf.getByte(p + 6)) == 'd';
    }

    private static long valueHash(ByteBuf buf, int from, int end) {
        int p = from;
        while (p < end && (buf.getByte(p) == ' ' || buf.getByte(p) == '\t')) {
            p++;
        }
        int h = 0;
        int length = 0;
        int trailingBlanks = 0;
        int hashBeforeBlanks = 0;
        for (; p < end; p++) {
            byte b = buf.getByte(p);
            if (b == '\r' || b == '\n') {
                break;
            }
            if (b == ' ' || b == '\t') {
                if (trailingBlanks == 0) {
                    hashBeforeBlanks = h;
                }
                trailingBlanks++;
            } else {
                trailingBlanks = 0;
            }
            h = 31 * h + (b & 0xff);
            length++;
        }
        if (trailingBlanks > 0) {
            h = hashBeforeBlanks;
            length -= trailingBlanks;
        }
        return length == 0 ? NOT_FOUND : h & 0xffffffffL;
    }

    /** The start of the line after the one at {@code from}; -1 when there is none within {@code limit}. */
    private static int nextLine(ByteBuf buf, int from, int limit) {
        int lf = buf.indexOf(from, limit, (byte) '\n');
        return lf < 0 ? -1 : lf + 1;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }
}
