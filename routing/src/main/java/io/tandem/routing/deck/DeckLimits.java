package io.tandem.routing.deck;

/**
 * How much of an upload the node reads before it refuses the file. Decks are read as a stream, so
 * the bytes cost time, not memory; the rows are kept, so {@code maxRows} is what bounds the heap
 * (a parsed row with its prefix index costs about 200 bytes).
 *
 * <p>Defaults, sized so that a 1,000,000-row deck passes with room to spare while a gzip or zip
 * bomb is stopped long before it can hurt the node:
 * <ul>
 * <li>{@link #DEFAULT_MAX_UPLOAD_BYTES} 200 MB as sent: a plain 1,000,000-row CSV with wide partner
 *     columns is 80 to 150 MB; 200 MB was the multipart limit before these settings existed.</li>
 * <li>{@link #DEFAULT_MAX_DECOMPRESSED_BYTES} 1 GB of CSV text after gunzip/unzip: several times
 *     the widest real deck, and about ten seconds of reading on one core.</li>
 * <li>{@link #DEFAULT_MAX_ROWS} 2,000,000 records after the header: twice the largest deck we know
 *     of, about 400 MB of parsed rows at worst.</li>
 * </ul>
 * A single record longer than {@link #MAX_RECORD_CHARACTERS} is refused as well: a real deck row is
 * under a kilobyte, and an endless record (50 MB of zeros has no line break) would otherwise be
 * built up in memory as one cell.
 */
public record DeckLimits(long maxUploadBytes, long maxDecompressedBytes, int maxRows) {

    public static final long DEFAULT_MAX_UPLOAD_BYTES = 200L * 1024 * 1024;
    public static final long DEFAULT_MAX_DECOMPRESSED_BYTES = 1024L * 1024 * 1024;
    public static final int DEFAULT_MAX_ROWS = 2_000_000;
    /** Characters of one CSV record, quoted line breaks included. */
    public static final int MAX_RECORD_CHARACTERS = 64 * 1024;

    public static final DeckLimits DEFAULTS = new DeckLimits(DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MAX_DECOMPRESSED_BYTES,
            DEFAULT_MAX_ROWS);

    public DeckLimits {
        if (maxUploadBytes < 1 || maxDecompressedBytes < 1 || maxRows < 1) {
            throw new IllegalArgumentException("deck limits must be positive: " + maxUploadBytes + " bytes uploaded, "
                    + maxDecompressedBytes + " bytes decompressed, " + maxRows + " rows");
        }
    }

    /** Which limit a file passed. */
    public enum Limit {
        UPLOAD_BYTES, DECOMPRESSED_BYTES, ROWS, RECORD_CHARACTERS
    }
}
