package io.tandem.softswitch.sip.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.tandem.softswitch.sip.message.SipParseFailure;
import io.tandem.softswitch.sip.message.SipParseResult;
import io.tandem.softswitch.sip.message.SipParser;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Frames SIP messages on a TCP or TLS connection by {@code Content-Length} (RFC 3261 §18.3)
 * and decodes each into a {@link SipInbound}.
 *
 * <p>A header section longer than {@link SipParser#MAX_MESSAGE_SIZE}, or a Content-Length that
 * is missing its digits, negative, repeated or too large, cannot be framed: the decoder emits a
 * fatal {@link SipInbound.Malformed} (answered {@code 400}/{@code 513} when possible), then
 * discards everything that follows so the handler can close the connection. A missing
 * Content-Length counts as zero. A double CRLF between messages is a RFC 5626 ping and is
 * answered with a single CRLF.
 */
public final class SipStreamDecoder extends ByteToMessageDecoder {
    private static final byte[] PONG = {'\r', '\n'};

    private enum State {
        SKIP_CRLF,
        READ_HEADERS,
        READ_BODY,
        DISCARD
    }

    private final CodecCounters counters;
    private final SipTransport transport;
    private State state = State.SKIP_CRLF;
    private int scanned;
    private int headerLength;
    private int contentLength;
    private int crlfRun;

    public SipStreamDecoder(SipTransport transport, CodecCounters counters) {
        this.transport = transport;
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case SKIP_CRLF -> {
                    while (in.isReadable()) {
                        byte b = in.getByte(in.readerIndex());
                        if (b == '\n') {
                            crlfRun++;
                            if (crlfRun == 2) {
                                counters.keepAlives.increment();
                                ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG));
                                crlfRun = 0;
                            }
                        } else if (b != '\r') {
                            break;
                        }
                        in.skipBytes(1);
                    }
                    if (!in.isReadable()) {
                        return;
                    }
                    crlfRun = 0;
                    scanned = 0;
                    state = State.READ_HEADERS;
                }
                case READ_HEADERS -> {
                    int end = findHeaderEnd(in);
                    if (end < 0) {
                        if (in.readableBytes() > SipParser.MAX_MESSAGE_SIZE) {
                            counters.oversized.increment();
                            fail(ctx, in, out, SipParser.MAX_MESSAGE_SIZE, 513, "header section too large");
                        }
                        return;
                    }
                    headerLength = end;
                    long cl = contentLength(in, in.readerIndex(), in.readerIndex() + end);
                    if (cl == -2 || cl > SipParser.MAX_MESSAGE_SIZE - end) {
                        if (cl != -2) {
                            counters.oversized.increment();
                        }
                        // Let the parser explain the header section, so the answer can say why.
                        fail(ctx, in, out, end, cl == -2 ? 400 : 513,
                            cl == -2 ? "Content-Length missing, malformed or repeated" : "message too large");
                        return;
                    }
                    contentLength = (int) Math.max(cl, 0);
                    state = State.READ_BODY;
                }
                case READ_BODY -> {
                    int total = headerLength + contentLength;
                    if (in.readableBytes() < total) {
                        return;
                    }
                    byte[] bytes = new byte[total];
                    in.readBytes(bytes);
                    SipParseResult r = SipParser.parse(bytes, 0, total);
                    InetSocketAddress sender = remote(ctx);
                    switch (r) {
                        case SipParseResult.Parsed p -> {
                            counters.decoded.increment();
                            counters.received().count(p.message());
                counters.received().count(p.message());
                            out.add(new SipInbound.Message(p.message(), sender, transport));
                        }
                        case SipParseResult.Failed f -> {
                            counters.malformed.increment();
                            out.add(new SipInbound.Malformed(f.failure(), sender, transport, false));
                        }
                        case SipParseResult.KeepAlive k -> counters.keepAlives.increment();
                    }
                    state = State.SKIP_CRLF;
                }
                case DISCARD -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, int headerBytes, int status,
                      String why) {
        int n = Math.min(headerBytes, in.readableBytes());
        byte[] bytes = new byte[n];
        in.getBytes(in.readerIndex(), bytes);
        SipParseFailure failure = switch (SipParser.parse(bytes, 0, n)) {
            case SipParseResult.Failed f when f.failure().status() == status || status == 400 -> f.failure();
            case SipParseResult.Failed f -> new SipParseFailure(status, why, f.failure().method(), f.failure().headers(),
                f.failure().topVia());
            default -> new SipParseFailure(status, why, null, null, null);
        };
        counters.malformed.increment();
        out.add(new SipInbound.Malformed(failure, remote(ctx), transport, true));
        in.skipBytes(in.readableBytes());
        state = State.DISCARD;
    }

    /** The peer, or {@code null} for channels without a socket address (tests). */
    private static InetSocketAddress remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
    }

    /** Length of the header section including the blank line, or -1 if not complete yet. */
    private int findHeaderEnd(ByteBuf in) {
        int start = in.readerIndex();
        int limit = in.writerIndex();
        for (int i = Math.max(start + scanned, start + 3); i < limit; i++) {
            if (in.getByte(i) == '\n' && in.getByte(i - 1) == '\r' && in.getByte(i - 2) == '\n'
                && in.getByte(i - 3) == '\r') {
                return i + 1 - start;
            }
        }
        scanned = Math.max(0, limit - start - 1);
        return -1;
    }

    /**
     * The Content-Length value of a header section: -1 when absent, -2 when malformed or
     * repeated. Only for framing; the parser validates the message afterwards.
     */
    static long contentLength(ByteBuf in, int start, int end) {
        long found = -1;
        int line = start;
        while (line < end) {
            int eol = in.indexOf(line, end, (byte) '\n');
            if (eol < 0) {
                eol = end;
            }
            int nameEnd = line;
            while (nameEnd < eol && in.getByte(nameEnd) != ':' && in.getByte(nameEnd) != ' '
                && in.getByte(nameEnd) != '\t') {
                nameEnd++;
            }
            if (isContentLengthName(in, line, nameEnd)) {
                if (found != -1) {
                    return -2;
                }
                int p = nameEnd;
                while (p < eol && (in.getByte(p) == ' ' || in.getByte(p) == '\t')) {
                    p++;
                }
                if (p >= eol || in.getByte(p) != ':') {
                    return -2;
                }
                p++;
                while (p < eol && (in.getByte(p) == ' ' || in.getByte(p) == '\t' || in.getByte(p) == '\r')) {
                    p++;
                }
                // The value may be folded onto the next line (RFC 3261 §7.3.1).
                while (p >= eol && eol + 1 < end && (in.getByte(eol + 1) == ' ' || in.getByte(eol + 1) == '\t')) {
                    p = eol + 1;
                    eol = in.indexOf(p, end, (byte) '\n');
                    if (eol < 0) {
                        eol = end;
                    }
                    while (p < eol && (in.getByte(p) == ' ' || in.getByte(p) == '\t')) {
                        p++;
                    }
                }
                long v = 0;
                int digits = 0;
                while (p < eol && in.getByte(p) >= '0' && in.getByte(p) <= '9') {
                    v = v * 10 + (in.getByte(p) - '0');
                    if (++digits > 10) {
                        return -2;
                    }
                    p++;
                }
                while (p < eol && (in.getByte(p) == ' ' || in.getByte(p) == '\t' || in.getByte(p) == '\r')) {
                    p++;
                }
                if (digits == 0 || p != eol) {
                    return -2;
                }
                found = v;
            }
            line = eol + 1;
        }
        return found;
    }

    private static boolean isContentLengthName(ByteBuf in, int s, int e) {
        int len = e - s;
        if (len == 1) {
            byte c = in.getByte(s);
            return c == 'l' || c == 'L';
        }
        if (len != 14) {
            return false;
        }
        String name = "content-length";
        for (int i = 0; i < 14; i++) {
            int c = in.getByte(s + i);
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
