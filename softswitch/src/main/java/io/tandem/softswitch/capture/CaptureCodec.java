package io.tandem.softswitch.capture;

import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.transport.WireMessage;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;

/**
 * A finished call's capture as one deflated blob (RFC 1951 via the JDK's zlib), the form it is
 * stored in and shipped to its capture node in. SIP text compresses about 5:1, the headers of one
 * call repeating from message to message. Decoding checks every count and length against
 * {@link #MAX_INFLATED_BYTES}: a blob can come from a peer.
 */
public final class CaptureCodec {

    /** Version of the layout below; a blob of another version is refused. */
    private static final int VERSION = 1;
    /** The most a blob may inflate to (a per-call cap far above any sane setting). */
    public static final int MAX_INFLATED_BYTES = 16 * 1024 * 1024;
    private static final int MAX_ITEMS = 100_000;

    private CaptureCodec() {
    }

    /** One call's blob; for a stream of calls on one thread use an {@link Encoder} (it keeps its zlib state). */
    public static byte[] encode(CallCapture capture) {
        try (Encoder encoder = new Encoder()) {
            return encoder.encode(capture);
        }
    }

    /**
     * Encodes call after call on one thread, reusing one zlib stream and its buffers: setting up a
     * {@code Deflater} (about 256 KB of native state) for every call cost as much CPU as compressing
     * it, and a stream chain per call allocated 16 KB of buffers to produce a 1 KB blob. The call is
     * laid out in one reused array, deflated in one pass into another, and only the blob is new.
     * Not thread-safe.
     */
    public static final class Encoder implements AutoCloseable {
        /** Room kept free in {@link #deflated} for each deflate step. */
        private static final int STEP = 4096;
        private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        private final Layout layout = new Layout();
        private final DataOutputStream layoutOut = new DataOutputStream(layout);
        private byte[] deflated = new byte[2 * STEP];

        public byte[] encode(CallCapture capture) {
            layout.length = 0;
            try {
                write(layoutOut, capture);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write into memory", e);
            }
            deflater.reset();
            deflater.setInput(layout.bytes, 0, layout.length);
            deflater.finish();
            int length = 0;
            while (!deflater.finished()) {
                if (deflated.length - length < STEP) {
                    deflated = Arrays.copyOf(deflated, deflated.length * 2);
                }
                length += deflater.deflate(deflated, length, deflated.length - length);
            }
            return Arrays.copyOf(deflated, length);
        }

        @Override
        public void close() {
            deflater.end();
        }
    }

    /** A growing array written by one thread (a {@code ByteArrayOutputStream} without its locks and its copy out). */
    private static final class Layout extends OutputStream {
        private byte[] bytes = new byte[16 * 1024];
        private int length;

        @Override
        public void write(int b) {
            room(1);
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            room(len);
            System.arraycopy(b, off, bytes, length, len);
            length += len;
        }

        private void room(int more) {
            if (bytes.length - length < more) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    private static void write(DataOutputStream out, CallCapture capture) throws IOException {
        out.writeByte(VERSION);
        out.writeLong(capture.callId().getMostSignificantBits());
        out.writeLong(capture.callId().getLeastSignificantBits());
        out.writeInt(capture.dropped());
        out.writeBoolean(capture.live());
        out.writeInt(capture.legs().size());
        for (CaptureLeg leg : capture.legs()) {
            out.writeUTF(leg.sipCallId());
            out.writeInt(leg.attempt());
            out.writeLong(leg.gatewayId());
        }
        out.writeInt(capture.messages().size());
        for (WireMessage m : capture.messages()) {
            out.writeLong(m.epochMicros());
            out.writeByte(m.direction().ordinal());
            out.writeByte(m.transport().ordinal());
            writeAddress(out, m.local());
            writeAddress(out, m.remote());
            out.writeUTF(m.sipCallId());
            out.writeInt(m.octets().length);
            out.write(m.octets());
        }
    }

    /** The capture in {@code blob}; {@link IllegalArgumentException} when it is not one of ours. */
    public static CallCapture decode(byte[] blob) {
        try (DataInputStream in = new DataInputStream(new BoundedStream(new InflaterInputStream(new ByteArrayInputStream(blob))))) {
            if (in.readUnsignedByte() != VERSION) {
                throw new IllegalArgumentException("not a capture blob of version " + VERSION);
            }
            UUID id = new UUID(in.readLong(), in.readLong());
            int dropped = in.readInt();
            boolean live = in.readBoolean();
            int legCount = count(in.readInt());
            List<CaptureLeg> legs = new ArrayList<>(legCount);
            for (int i = 0; i < legCount; i++) {
                legs.add(new CaptureLeg(in.readUTF(), in.readInt(), in.readLong()));
            }
            int messageCount = count(in.readInt());
            List<WireMessage> messages = new ArrayList<>(Math.min(messageCount, 1024));
            for (int i = 0; i < messageCount; i++) {
                long at = in.readLong();
                WireMessage.Direction direction = WireMessage.Direction.values()[index(in.readUnsignedByte(), 2)];
                SipTransport transport = SipTransport.values()[index(in.readUnsignedByte(), SipTransport.values().length)];
                InetSocketAddress local = readAddress(in);
                InetSocketAddress remote = readAddress(in);
                String callId = in.readUTF();
                int length = in.readInt();
                if (length < 0 || length > MAX_INFLATED_BYTES) {
                    throw new IllegalArgumentException("message length " + length + " out of range");
                }
                byte[] octets = in.readNBytes(length);
                if (octets.length != length) {
                    throw new IllegalArgumentException("capture blob ends inside a message");
                }
                messages.add(new WireMessage(at, direction, transport, local, remote, callId, octets));
            }
            return new CallCapture(id, legs, messages, dropped, live);
        } catch (EOFException e) {
            throw new IllegalArgumentException("capture blob is truncated", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a capture blob: " + e.getMessage(), e);
        }
    }

    private static int count(int n) {
        if (n < 0 || n > MAX_ITEMS) {
            throw new IllegalArgumentException("count " + n + " out of range");
        }
        return n;
    }

    private static int index(int i, int size) {
        if (i >= size) {
            throw new IllegalArgumentException("unknown code " + i);
        }
        return i;
    }

    private static void writeAddress(DataOutputStream out, InetSocketAddress a) throws IOException {
        if (a == null || a.getAddress() == null) {
            out.writeByte(0);
            return;
        }
        byte[] ip = a.getAddress().getAddress();
        out.writeByte(ip.length);
        out.write(ip);
        out.writeShort(a.getPort());
    }

    private static InetSocketAddress readAddress(DataInputStream in) throws IOException {
        int length = in.readUnsignedByte();
        if (length == 0) {
            return null;
        }
        if (length != 4 && length != 16) {
            throw new IllegalArgumentException("address of " + length + " octets");
        }
        byte[] ip = in.readNBytes(length);
        if (ip.length != length) {
            throw new EOFException();
        }
        return new InetSocketAddress(InetAddress.getByAddress(ip), in.readUnsignedShort());
    }

    /** Stops a zip bomb: fails once more than {@link #MAX_INFLATED_BYTES} have been inflated. */
    private static final class BoundedStream extends java.io.FilterInputStream {
        private long read;

        BoundedStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws IOException {
            read += n;
            if (read > MAX_INFLATED_BYTES) {
                throw new IOException("inflates to more than " + MAX_INFLATED_BYTES + " bytes");
            }
        }
    }
}
