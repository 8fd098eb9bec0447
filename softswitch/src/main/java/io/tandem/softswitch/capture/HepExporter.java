package io.tandem.softswitch.capture;

import io.tandem.softswitch.sip.transport.WireMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every captured message to a HEP collector (Homer, sngrep, heplify-server) over UDP. Runs on
 * the capture thread, never on an event loop; the socket is non-blocking, so a full send buffer drops
 * the packet (counted) instead of waiting. HEP over UDP is fire-and-forget by design: a collector
 * that is down loses packets, the calls never notice.
 */
public final class HepExporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HepExporter.class);

    private final HepEncoder encoder;
    private final InetSocketAddress collector;
    private final DatagramChannel socket;
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile long lastWarningMillis;

    public HepExporter(InetSocketAddress collector, int captureId, String password) {
        this.encoder = new HepEncoder(captureId, password);
        this.collector = collector;
        try {
            this.socket = DatagramChannel.open();
            socket.configureBlocking(false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a UDP socket for the HEP export to " + collector, e);
        }
    }

    public void export(WireMessage m) {
        byte[] packet = encoder.encode(m);
        if (packet == null) {
            failed.increment();
            return;
        }
        try {
            if (socket.send(ByteBuffer.wrap(packet), collector) == 0) {
                failed.increment();
            } else {
                sent.increment();
            }
        } catch (IOException e) {
            failed.increment();
            long now = System.currentTimeMillis();
            if (now - lastWarningMillis > 60_000) {
                lastWarningMillis = now;
                LOG.warn("HEP export to {} failing ({}); packets are dropped and counted, at most one warning a minute",
                    collector, e.toString());
            }
        }
    }

    public long sent() {
        return sent.sum();
    }

    public long failed() {
        return failed.sum();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.warn("closing the HEP export socket failed", e);
        }
    }
}
