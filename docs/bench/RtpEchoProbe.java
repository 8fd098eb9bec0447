import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The vendor end of the media benchmark (docs/bench/media-vs-rtpengine.sh): one UDP port that every
 * call's vendor SDP names. Each RTP packet is counted per stream (source address and SSRC) and echoed at
 * once from the same port to where it came from, so the relay under test carries 50 packets/s each way
 * and latches on this port like on any vendor.
 *
 * <p>Per stream: packets, loss from the sequence numbers (expected = highest - first + 1, RFC 3550
 * §A.3; packets that never arrived after the last one received are not seen) and, per packet, the
 * transit difference D = (arrival - previous arrival) - (timestamp - previous timestamp) / 8000
 * (RFC 3550 §6.4.1), whose |D| goes into a histogram of 10 µs buckets: its p99 is the benchmark's
 * jitter figure; run without a relay ("direct") it is what sipp's own sending jitter contributes.
 *
 * <p><b>The probe must not be what loses packets.</b> At 1,000 calls it receives 50,000 packets/s on one
 * socket and sends as many, on a 2-core machine shared with sipp and the relay under test. So it reads and
 * echoes in batches, {@code recvmmsg}/{@code sendmmsg} (up to {@value #BATCH} datagrams per system call,
 * through the JDK's foreign function API: Linux, JDK 22+): when the scheduler starved it, its next calls
 * catch up with whole batches instead of one system call per packet. Its receive buffer is 16 MiB
 * ({@code SO_RCVBUFFORCE} as root, else {@code SO_RCVBUF} up to {@code net.core.rmem_max}; what it got is
 * printed on stderr). Arrival times are the kernel's ({@code SO_TIMESTAMPNS}: when the datagram reached
 * the socket), so a probe that reads late does not add jitter the relay did not cause.
 *
 * <p>Runs until the file {@code STOP_FILE} appears, then writes one summary line to {@code OUT}:
 * {@code streams=… received=… expected=… lost=… loss_pct=… jitter_p50_ms=… jitter_p99_ms=… jitter_max_ms=…}.
 *
 * <pre>java RtpEchoProbe.java 127.0.0.1 41900 /tmp/stop /tmp/result.txt</pre>
 */
public final class RtpEchoProbe {

    private static final int BUCKET_MICROS = 10;
    private static final int BUCKETS = 100_000; // up to 1 s
    private static final int BATCH = 64;
    private static final int SLOT_BYTES = 2048;
    private static final int CONTROL_BYTES = 64;
    private static final int RECEIVE_BUFFER = 16 << 20;

    // <sys/socket.h>, <netinet/in.h>, <asm-generic/socket.h>, <errno.h> on Linux (x86_64, aarch64)
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SO_TIMESTAMPNS = 35;
    private static final int MSG_WAITFORONE = 0x10000;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    // struct mmsghdr { struct msghdr { name, namelen, iov, iovlen, control, controllen, flags }; unsigned msg_len; }
    private static final long MMSGHDR = 64;
    private static final long NAME = 0;
    private static final long NAMELEN = 8;
    private static final long IOV = 16;
    private static final long IOVLEN = 24;
    private static final long CONTROL = 32;
    private static final long CONTROLLEN = 40;
    private static final long MSG_LEN = 56;
    private static final long IOVEC = 16;
    private static final long SOCKADDR_IN = 16;

    private static final ValueLayout.OfShort NET_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = libc("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = libc("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = libc("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle BIND = libc("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMMSG = libc("recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDMMSG = libc("sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private static final class Stream {
        long packets;
        int firstSequence = -1;
        long highest; // extended sequence number
        long lastArrivalNanos;
        long lastTimestamp;
    }

    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    public static void main(String[] args) throws Throwable {
        if (args.length != 4) {
            System.err.println("usage: java RtpEchoProbe.java ADDRESS PORT STOP_FILE OUT");
            System.exit(2);
        }
        Path stop = Path.of(args[2]);
        Path out = Path.of(args[3]);
        long[] histogram = new long[BUCKETS + 1];
        Map<Long, Stream> streams = new HashMap<>();
        long total = 0;
        long sendErrors = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) SOCKET.invokeExact(state, AF_INET, SOCK_DGRAM, 0);
            check(fd, state, "socket");
            MemorySegment value = arena.allocate(16);
            value.set(JAVA_INT, 0, RECEIVE_BUFFER);
            if ((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4) != 0) {
                check((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVBUF, value, 4), state, "SO_RCVBUF");
            }
            if ((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_SNDBUFFORCE, value, 4) != 0) {
                check((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_SNDBUF, value, 4), state, "SO_SNDBUF");
            }
            value.set(JAVA_INT, 0, 1);
            check((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_TIMESTAMPNS, value, 4), state, "SO_TIMESTAMPNS");
            value.set(JAVA_LONG, 0, 0); // struct timeval { 0 s, 200,000 µs }: a blocked read returns to look for the stop file
            value.set(JAVA_LONG, 8, 200_000);
            check((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVTIMEO, value, 16), state, "SO_RCVTIMEO");
            MemorySegment length = arena.allocate(4);
            length.set(JAVA_INT, 0, 4);
            check((int) GETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVBUF, value, length), state, "SO_RCVBUF?");
            System.err.println("probe: receive buffer " + value.get(JAVA_INT, 0) + " bytes");

            MemorySegment address = arena.allocate(SOCKADDR_IN);
            address.set(JAVA_SHORT, 0, (short) AF_INET);
            address.set(NET_SHORT, 2, (short) Integer.parseInt(args[1]));
            address.set(NET_INT, 4, java.nio.ByteBuffer.wrap(InetAddress.getByName(args[0]).getAddress()).getInt());
            check((int) BIND.invokeExact(state, fd, address, (int) SOCKADDR_IN), state, "bind " + args[0] + ":" + args[1]);

            MemorySegment headers = arena.allocate(MMSGHDR * BATCH, 8);
            MemorySegment names = arena.allocate(SOCKADDR_IN * BATCH, 8);
            MemorySegment vectors = arena.allocate(IOVEC * BATCH, 8);
            MemorySegment data = arena.allocate((long) SLOT_BYTES * BATCH, 8);
            MemorySegment controls = arena.allocate((long) CONTROL_BYTES * BATCH, 8);
            for (int i = 0; i < BATCH; i++) {
                MemorySegment header = headers.asSlice(i * MMSGHDR, MMSGHDR);
                header.set(ADDRESS, NAME, names.asSlice(i * SOCKADDR_IN, SOCKADDR_IN));
                header.set(ADDRESS, IOV, vectors.asSlice(i * IOVEC, IOVEC));
                header.set(JAVA_LONG, IOVLEN, 1);
                header.set(ADDRESS, CONTROL, controls.asSlice((long) i * CONTROL_BYTES, CONTROL_BYTES));
                vectors.set(ADDRESS, i * IOVEC, data.asSlice((long) i * SLOT_BYTES, SLOT_BYTES));
            }

            long nextStopCheck = 0;
            while (true) {
                for (int i = 0; i < BATCH; i++) {
                    headers.set(JAVA_INT, i * MMSGHDR + NAMELEN, (int) SOCKADDR_IN);
                    headers.set(JAVA_LONG, i * MMSGHDR + CONTROLLEN, CONTROL_BYTES);
                    vectors.set(JAVA_LONG, i * IOVEC + 8, SLOT_BYTES);
                }
                int received = (int) RECVMMSG.invokeExact(state, fd, headers, BATCH, MSG_WAITFORONE, MemorySegment.NULL);
                long now = System.nanoTime();
                if (received <= 0) {
                    int errno = (int) ERRNO.get(state, 0L);
                    if (received < 0 && errno != EAGAIN && errno != EINTR) {
                        throw new IOException("recvmmsg failed, errno " + errno);
                    }
                }
                if (received <= 0 || now > nextStopCheck) {
                    if (Files.exists(stop)) {
                        break;
                    }
                    nextStopCheck = now + 200_000_000L;
                    if (received <= 0) {
                        continue;
                    }
                }
                for (int i = 0; i < received; i++) {
                    int size = headers.get(JAVA_INT, i * MMSGHDR + MSG_LEN);
                    MemorySegment packet = data.asSlice((long) i * SLOT_BYTES, SLOT_BYTES);
                    if (size < 12 || (packet.get(JAVA_BYTE, 0) & 0xC0) != 0x80) {
                        continue;
                    }
                    total++;
                    long arrival = arrivalNanos(controls.asSlice((long) i * CONTROL_BYTES, CONTROL_BYTES),
                            headers.get(JAVA_LONG, i * MMSGHDR + CONTROLLEN));
                    int sequence = packet.get(NET_SHORT, 2) & 0xFFFF;
                    long timestamp = packet.get(NET_INT, 4) & 0xFFFFFFFFL;
                    int ssrc = packet.get(NET_INT, 8);
                    // a stream is a source address and port and an SSRC (sipp's rtp_stream sends many calls from one
                    // port when there is no relay): the 48 bits of address and port spread by an odd multiplier (a
                    // bijection), the SSRC in the upper half; a collision of two streams is a 2^-64 chance per pair
                    long source = (names.get(NET_INT, i * SOCKADDR_IN + 4) & 0xFFFFFFFFL) << 16
                            | (names.get(NET_SHORT, i * SOCKADDR_IN + 2) & 0xFFFF);
                    long key = source * 0x9E3779B97F4A7C15L ^ ((long) ssrc << 32);
                    Stream s = streams.get(key);
                    if (s == null) {
                        s = new Stream();
                        streams.put(key, s);
                    }
                    if (s.firstSequence < 0) {
                        s.firstSequence = sequence;
                        s.highest = sequence;
                    } else {
                        long cycle = s.highest & ~0xFFFFL;
                        long extended = cycle | sequence;
                        if (extended < s.highest - 0x8000) {
                            extended += 0x10000;
                        }
                        if (extended > s.highest) {
                            s.highest = extended;
                        }
                        long arrivalMicros = (arrival - s.lastArrivalNanos) / 1000;
                        long sentMicros = ((timestamp - s.lastTimestamp) & 0xFFFFFFFFL) * 1000 / 8;
                        if (sentMicros < 1_000_000) { // not across a timestamp jump
                            long d = Math.abs(arrivalMicros - sentMicros);
                            histogram[(int) Math.min(BUCKETS, d / BUCKET_MICROS)]++;
                        }
                    }
                    s.packets++;
                    s.lastArrivalNanos = arrival;
                    s.lastTimestamp = timestamp;
                }
                // the echo: each datagram back to its sender, as it came (the name the kernel filled in stays)
                for (int i = 0; i < received; i++) {
                    vectors.set(JAVA_LONG, i * IOVEC + 8, headers.get(JAVA_INT, i * MMSGHDR + MSG_LEN));
                    headers.set(JAVA_LONG, i * MMSGHDR + CONTROLLEN, 0);
                }
                int sent = 0;
                while (sent < received) {
                    int n = (int) SENDMMSG.invokeExact(state, fd, headers.asSlice(sent * MMSGHDR), received - sent, 0);
                    if (n > 0) {
                        sent += n;
                    } else if ((int) ERRNO.get(state, 0L) != EINTR) {
                        sendErrors++; // this one cannot go (e.g. its sender's host unreachable): skip it
                        sent++;
                    }
                }
            }
            int closed = (int) CLOSE.invokeExact(state, fd);
            check(closed, state, "close");
        }
        long expected = 0;
        long received = 0;
        for (Stream s : streams.values()) {
            expected += s.highest - s.firstSequence + 1;
            received += s.packets;
        }
        long lost = Math.max(0, expected - received);
        try (PrintStream p = new PrintStream(Files.newOutputStream(out))) {
            p.printf("streams=%d received=%d expected=%d lost=%d loss_pct=%.4f jitter_p50_ms=%.3f jitter_p99_ms=%.3f jitter_max_ms=%.3f%n",
                    streams.size(), received, expected, lost, expected == 0 ? 0.0 : 100.0 * lost / expected,
                    percentile(histogram, 0.50), percentile(histogram, 0.99), percentile(histogram, 1.0));
        }
        System.err.println("probe: " + total + " packets, " + sendErrors + " echoes that could not be sent");
    }

    /** The kernel's arrival time (SCM_TIMESTAMPNS, wall clock) from a datagram's control data, else the wall clock now. */
    private static long arrivalNanos(MemorySegment control, long controlLength) {
        // struct cmsghdr { size_t len; int level; int type; } then struct timespec { long sec; long nsec; }
        if (controlLength >= 32 && control.get(JAVA_INT, 8) == SOL_SOCKET && control.get(JAVA_INT, 12) == SO_TIMESTAMPNS) {
            return control.get(JAVA_LONG, 16) * 1_000_000_000L + control.get(JAVA_LONG, 24);
        }
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static void check(int result, MemorySegment state, String what) throws IOException {
        if (result < 0) {
            throw new IOException(what + " failed, errno " + (int) ERRNO.get(state, 0L));
        }
    }

    private static double percentile(long[] histogram, double q) {
        long n = 0;
        for (long c : histogram) {
            n += c;
        }
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank) {
                return (i + 1) * BUCKET_MICROS / 1000.0;
            }
        }
        return BUCKETS * BUCKET_MICROS / 1000.0;
    }
}
