package io.tandem.routing.deck;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Opens an uploaded deck as CSV text, whatever it was wrapped in: plain {@code .csv},
 * {@code .csv.gz}, or a {@code .zip} holding exactly one CSV file. The wrapper is recognised by its
 * magic bytes as well as its name, since partners rename files. A UTF-8 byte order mark is dropped.
 *
 * <p>What comes out of a gzip file or a zip archive is counted as it is inflated: past
 * {@code maxTextBytes} the read throws {@link DeckTooLargeException}. In a zip archive the entries
 * skipped on the way to the CSV, and those after it, count too, since inflating them costs the
 * same.
 */
public final class DeckFile {

    private DeckFile() {
    }

    /**
     * @param maxTextBytes bytes the file may unpack to (a plain CSV file is not counted here: its size is the upload's)
     * @throws DeckFileException if the archive is empty, holds several CSV files or is damaged
     * @throws DeckTooLargeException while reading, once more than {@code maxTextBytes} have come out
     */
    public static InputStream open(String fileName, InputStream raw, long maxTextBytes) throws IOException {
        PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(raw, 1 << 16), 4);
        byte[] magic = new byte[4];
        int read = in.readNBytes(magic, 0, 4);
        in.unread(magic, 0, read);
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        InputStream text;
        if (read >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            text = new CappedInputStream(new GZIPInputStream(in, 1 << 16), maxTextBytes, DeckLimits.Limit.DECOMPRESSED_BYTES);
        } else if (read == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            text = singleCsvEntry(new CappedZipInputStream(in, maxTextBytes));
        } else if (name.endsWith(".zip") || name.endsWith(".gz")) {
            throw new DeckFileException("The file is named " + fileName + " but is not a "
                    + (name.endsWith(".zip") ? "zip archive" : "gzip file"));
        } else {
            // plain text is capped where it is uploaded (DeckLimits.maxUploadBytes)
            text = in;
        }
        return withoutByteOrderMark(text);
    }

    private static InputStream singleCsvEntry(ZipInputStream zip) throws IOException {
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
            String entryName = entry.getName();
            if (entry.isDirectory() || entryName.startsWith("__MACOSX/") || entryName.contains("/.")) {
                continue;
            }
            String lower = entryName.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".csv") || lower.endsWith(".txt")) {
                return new SingleEntryStream(zip, entryName);
            }
        }
        throw new DeckFileException("The zip archive holds no .csv file");
    }

    private static InputStream withoutByteOrderMark(InputStream text) throws IOException {
        PushbackInputStream in = new PushbackInputStream(text, 3);
        byte[] bom = new byte[3];
        int read = in.readNBytes(bom, 0, 3);
        if (!(read == 3 && (bom[0] & 0xff) == 0xEF && (bom[1] & 0xff) == 0xBB && (bom[2] & 0xff) == 0xBF)) {
            in.unread(bom, 0, read);
        }
        return in;
    }

    /**
     * Counts every inflated byte, including those {@link ZipInputStream#getNextEntry()} reads to
     * skip the rest of an entry: it skips through this class's {@link #read(byte[], int, int)}.
     */
    private static final class CappedZipInputStream extends ZipInputStream {
        private final long max;
        private long count;

        CappedZipInputStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
                if (count > max) {
                    throw new DeckTooLargeException(DeckLimits.Limit.DECOMPRESSED_BYTES, max);
                }
            }
            return n;
        }
    }

    /** Reads one zip entry and, at its end, refuses a second CSV in the same archive. */
    private static final class SingleEntryStream extends InputStream {
        private final ZipInputStream zip;
        private final String entryName;
        private boolean checked;

        SingleEntryStream(ZipInputStream zip, String entryName) {
            this.zip = zip;
            this.entryName = entryName;
        }

        @Override
        public int read() throws IOException {
            int b = zip.read();
            if (b < 0) {
                checkNoOtherCsv();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = zip.read(buffer, offset, length);
            if (n < 0) {
                checkNoOtherCsv();
            }
            return n;
        }

        private void checkNoOtherCsv() throws IOException {
            if (checked) {
                return;
            }
            checked = true;
            ZipEntry next;
            while ((next = zip.getNextEntry()) != null) {
                String lower = next.getName().toLowerCase(Locale.ROOT);
                if (!next.isDirectory() && !lower.startsWith("__macosx/") && (lower.endsWith(".csv") || lower.endsWith(".txt"))) {
                    throw new DeckFileException("The zip archive holds more than one CSV file (" + entryName + ", "
                            + next.getName() + "); upload one deck at a time");
                }
            }
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }
}
