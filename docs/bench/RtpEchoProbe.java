import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The vendor end of the media benchmark (docs/bench/media-vs-rtpengine.sh): one UDP port that every
 * call's vendor SDP names. Each RTP packet is timestamped on arrival, counted per stream (source
 * address and SSRC), and echoed at once from the same port to where it came from, so the relay under
 * test carries 50 packets/s each way and latches on this port like on any vendor.
 *
 * <p>Per stream: packets, loss from the sequence numbers (expected = highest - first + 1, RFC 3550
 * §A.3; packets that never arrived after the last one received are not seen) and, per packet, the
 * transit difference D = (arrival - previous arrival) - (timestamp - previous timestamp) / 8000
 * (RFC 3550 §6.4.1), whose |D| goes into a histogram of 10 µs buckets: its p99 is the benchmark's
 * jitter figure; run without a relay ("direct") it is what sipp's own sending jitter contributes.
 *
 * <p>Runs until the file {@code STOP_FILE} appears, then writes one summary line to {@code OUT}:
 * {@code streams=… received=… expected=… lost=… loss_pct=… jitter_p50_ms=… jitter_p99_ms=… jitter_max_ms=…}.
 *
 * <pre>java RtpEchoProbe.java 127.0.0.1 41900 /tmp/stop /tmp/result.txt</pre>
 *
 * Single-threaded on purpose: one blocking channel, no allocation per packet after a stream is first seen.
 */
public final class RtpEchoProbe {

    private static final int BUCKET_MICROS = 10;
    private static final int BUCKETS = 100_000; // up to 1 s

    private static final class Stream {
        long packets;
        int firstSequence = -1;
        long highest; // extended sequence number
        long lastArrivalNanos;
        long lastTimestamp;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: java RtpEchoProbe.java ADDRESS PORT STOP_FILE OUT");
            System.exit(2);
        }
        Path stop = Path.of(args[2]);
        Path out = Path.of(args[3]);
        long[] histogram = new long[BUCKETS + 1];
        Map<Long, Stream> streams = new HashMap<>();
        long total = 0;
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 8 << 20);
            channel.bind(new InetSocketAddress(args[0], Integer.parseInt(args[1])));
            channel.configureBlocking(false);
            ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            long nextStopCheck = 0;
            while (true) {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                long now = System.nanoTime();
                if (from == null) {
                    if (now > nextStopCheck) {
                        if (Files.exists(stop)) {
                            break;
                        }
                        nextStopCheck = now + 200_000_000L;
                    }
                    selector.select(200); // sleeps until a packet comes: the probe costs CPU only per packet
                    selector.selectedKeys().clear();
                    continue;
                }
                buffer.flip();
                if (buffer.remaining() >= 12 && (buffer.get(0) & 0xC0) == 0x80) {
                    total++;
                    int sequence = buffer.getShort(2) & 0xFFFF;
                    long timestamp = buffer.getInt(4) & 0xFFFFFFFFL;
                    long key = ((long) from.hashCode() << 32) ^ (buffer.getInt(8) & 0xFFFFFFFFL);
                    Stream s = streams.computeIfAbsent(key, k -> new Stream());
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
                        long arrivalMicros = (now - s.lastArrivalNanos) / 1000;
                        long sentMicros = ((timestamp - s.lastTimestamp) & 0xFFFFFFFFL) * 1000 / 8;
                        if (sentMicros < 1_000_000) { // not across a timestamp jump
                            long d = Math.abs(arrivalMicros - sentMicros);
                            histogram[(int) Math.min(BUCKETS, d / BUCKET_MICROS)]++;
                        }
                    }
                    s.packets++;
                    s.lastArrivalNanos = now;
                    s.lastTimestamp = timestamp;
                }
                channel.send(buffer, from);
            }
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
        System.err.println("probe: " + total + " packets");
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
