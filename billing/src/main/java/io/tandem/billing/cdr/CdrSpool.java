package io.tandem.billing.cdr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local durable spool for settlements the database could not take: an append-only file of
 * records, each {@code [int length][int CRC32C of payload][payload]}, big-endian.
 *
 * <p>{@link #append(List)} writes a group of records and fsyncs once for the group, so a caller
 * that was told "appended" never loses the record (the group commit keeps fsyncs per second low
 * under load). A crash in the middle of an append leaves at most the last record torn; opening the
 * spool detects it (short header, length past the end, or a checksum that does not match a
 * record not followed by intact records up to the end of the file), logs it and cuts it off with
 * whatever follows it: none of that was acknowledged. A bad record followed by intact records
 * is real corruption and refuses to open, rather than silently dropping money.
 *
 * <p>Not thread-safe by design beyond its own {@code synchronized} methods: one writer thread
 * owns a spool. Records are payload bytes; what they mean is the caller's business.
 */
public final class CdrSpool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdrSpool.class);

    /** Largest accepted record; a larger length in a header can only be a torn or corrupt header. */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;
    private static final int HEADER_BYTES = 8;

    private final Path file;
    private final FileChannel channel;
    private long records;

    private CdrSpool(Path file, FileChannel channel, long records) {
        this.file = file;
        this.channel = channel;
        this.records = records;
    }

    /** Opens (creating if needed) the spool at {@code file}, cutting off a torn last record. */
    public static CdrSpool open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            Scan scan = scan(channel, file);
            if (scan.validEnd() < channel.size()) {
                log.warn("Spool {}: torn last record at byte {} ({} bytes) was never acknowledged; cutting it off",
                        file, scan.validEnd(), channel.size() - scan.validEnd());
                channel.truncate(scan.validEnd());
                channel.force(true);
            }
            channel.position(scan.validEnd());
            return new CdrSpool(file, channel, scan.records());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Appends the records in order and fsyncs once; returns when they are durable. */
    public synchronized void append(List<byte[]> payloads) throws IOException {
        if (payloads.isEmpty()) {
            return;
        }
        int total = 0;
        for (byte[] payload : payloads) {
            if (payload.length > MAX_RECORD_BYTES) {
                throw new IllegalArgumentException("Spool record too large: " + payload.length + " bytes");
            }
            total += HEADER_BYTES + payload.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(total);
        CRC32C crc = new CRC32C();
        for (byte[] payload : payloads) {
            crc.reset();
            crc.update(payload);
            buffer.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
        records += payloads.size();
    }

    /** Up to {@code max} records starting at byte {@code from} (0 = the oldest), and where the next ones start. */
    public record Chunk(List<byte[]> records, long next) {
    }

    /** All records, oldest first (for small spools and tests; replay reads {@link #read chunks}). */
    public synchronized List<byte[]> readAll() throws IOException {
        return read(0, Integer.MAX_VALUE).records();
    }

    /**
     * Reads records in order from byte {@code from}, at most {@code max} of them, so an outage of
     * hours is replayed without holding the whole spool in memory.
     */
    public synchronized Chunk read(long from, int max) throws IOException {
        List<byte[]> payloads = new ArrayList<>();
        long position = from;
        long end = channel.position();
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        while (position < end && payloads.size() < max) {
            header.clear();
            readFully(channel, header, position);
            header.flip();
            int length = header.getInt();
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(channel, payload, position + HEADER_BYTES);
            payloads.add(payload.array());
            position += HEADER_BYTES + length;
        }
        return new Chunk(payloads, position);
    }

    /** Drops every record (after they were all applied elsewhere) and fsyncs. */
    public synchronized void clear() throws IOException {
        channel.truncate(0);
        channel.position(0);
        channel.force(true);
        records = 0;
    }

    public synchronized boolean isEmpty() {
        return records == 0;
    }

    public synchronized long records() {
        return records;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private record Scan(long validEnd, long records) {
    }

    private static Scan scan(FileChannel channel, Path file) throws IOException {
        long size = channel.size();
        long position = 0;
        long count = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        CRC32C crc = new CRC32C();
        while (position < size) {
            if (size - position < HEADER_BYTES) {
                return new Scan(position, count);
            }
            header.clear();
            readFully(channel, header, position);
            header.flip();
            int length = header.getInt();
            int expectedCrc = header.getInt();
            long recordEnd = position + HEADER_BYTES + (long) length;
            if (length < 0 || length > MAX_RECORD_BYTES || recordEnd > size) {
                return new Scan(position, count);
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(channel, payload, position + HEADER_BYTES);
            crc.reset();
            crc.update(payload.array());
            if ((int) crc.getValue() != expectedCrc) {
                // Pages of one unsynced group may reach the disk in any order, so a torn group can
                // leave a bad record with debris after it. Only intact records all the way to the
                // end of the file prove that this one was acknowledged and then damaged.
                if (intactToEnd(channel, recordEnd, size)) {
                    throw new IOException("Spool " + file + " is corrupt at byte " + position
                            + " (checksum mismatch followed by intact records); refusing to replay it");
                }
                return new Scan(position, count);
            }
            position = recordEnd;
            count++;
        }
        return new Scan(position, count);
    }

    private static boolean intactToEnd(FileChannel channel, long from, long size) throws IOException {
        long position = from;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        CRC32C crc = new CRC32C();
        while (position < size) {
            if (size - position < HEADER_BYTES) {
                return false;
            }
            header.clear();
            readFully(channel, header, position);
            header.flip();
            int length = header.getInt();
            int expectedCrc = header.getInt();
            if (length < 0 || length > MAX_RECORD_BYTES || position + HEADER_BYTES + (long) length > size) {
                return false;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(channel, payload, position + HEADER_BYTES);
            crc.reset();
            crc.update(payload.array());
            if ((int) crc.getValue() != expectedCrc) {
                return false;
            }
            position += HEADER_BYTES + length;
        }
        return true;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("Unexpected end of spool at byte " + at);
            }
            at += read;
        }
    }
}
