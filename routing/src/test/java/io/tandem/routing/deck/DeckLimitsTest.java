package io.tandem.routing.deck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Uploads built to exhaust the node (gzip and zip bombs, endless rows, endless records) are
 * refused with a sentence naming the limit, after reading no more than the limit.
 */
class DeckLimitsTest {

    private static final int MB = 1024 * 1024;
    private static final DeckLimits SMALL = new DeckLimits(MB, 4L * MB, 3);
    /** 50 MB of one byte: about 50 KB once compressed. */
    private static final int BOMB_BYTES = 50 * MB;
    private static final DeckLimits MANY_ROWS = new DeckLimits(MB, 4L * MB, BOMB_BYTES);
    private static final byte[] HEADER = "prefix,rate\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void aGzipBombIsStoppedAtTheDecompressedLimit() throws IOException {
        byte[] bomb = gzip(HEADER, BOMB_BYTES, (byte) '\n');
        assertThat(bomb.length).as("small enough to pass the upload limit").isLessThan(MB);

        assertThatThrownBy(() -> parse(MANY_ROWS, "deck.csv.gz", bomb))
                .isInstanceOfSatisfying(DeckTooLargeException.class, e -> {
                    assertThat(e.limit()).isEqualTo(DeckLimits.Limit.DECOMPRESSED_BYTES);
                    assertThat(e.getMessage()).isEqualTo("The file unpacks to more than the limit of 4 MB of CSV text;"
                            + " the archive is damaged or not a rate deck");
                });
    }

    @Test
    void withTheDefaultsABombWithoutLineBreaksIsStoppedAtItsFirstRecord() throws IOException {
        byte[] bomb = gzip(HEADER, BOMB_BYTES, (byte) 0);

        assertThatThrownBy(() -> parse(DeckLimits.DEFAULTS, "deck.csv.gz", bomb))
                .isInstanceOfSatisfying(DeckTooLargeException.class, e -> {
                    assertThat(e.limit()).isEqualTo(DeckLimits.Limit.RECORD_CHARACTERS);
                    assertThat(e.getMessage()).startsWith("A row of the file is longer than 65,536 characters");
                });
    }

    @Test
    void aZipBombIsStoppedWhetherItIsTheCsvOrAnEntrySkippedOnTheWay() throws IOException {
        ByteArrayOutputStream bombAsCsv = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bombAsCsv)) {
            out.putNextEntry(new ZipEntry("deck.csv"));
            out.write(HEADER);
            writeRepeated(out, BOMB_BYTES, (byte) '\n');
        }
        ByteArrayOutputStream bombBeforeCsv = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bombBeforeCsv)) {
            out.putNextEntry(new ZipEntry("padding.bin"));
            writeRepeated(out, BOMB_BYTES, (byte) 0);
            out.putNextEntry(new ZipEntry("deck.csv"));
            out.write("prefix,rate\n44,0.1\n".getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] bomb : new byte[][] {bombAsCsv.toByteArray(), bombBeforeCsv.toByteArray()}) {
            assertThat(bomb.length).isLessThan(MB);
            assertThatThrownBy(() -> parse(MANY_ROWS, "deck.zip", bomb))
                    .isInstanceOfSatisfying(DeckTooLargeException.class,
                            e -> assertThat(e.limit()).isEqualTo(DeckLimits.Limit.DECOMPRESSED_BYTES));
        }
    }

    @Test
    void rowsPastTheLimitRefuseTheFileAndRowsUpToItAreRead() {
        String threeRows = "prefix,rate\n44,0.1\n33,0.2\n49,0.3\n";

        assertThat(parse(SMALL, "deck.csv", threeRows.getBytes(StandardCharsets.UTF_8)).rows()).hasSize(3);
        assertThatThrownBy(() -> parse(SMALL, "deck.csv", (threeRows + "\n").getBytes(StandardCharsets.UTF_8)))
                .as("a blank line is a record like any other")
                .isInstanceOfSatisfying(DeckTooLargeException.class, e -> {
                    assertThat(e.limit()).isEqualTo(DeckLimits.Limit.ROWS);
                    assertThat(e.getMessage()).isEqualTo("The file has more than the limit of 3 rows; split the deck");
                });
    }

    @Test
    void aPlainFileLargerThanTheUploadLimitIsRefused() {
        byte[] big = ("prefix,rate\n" + "44,0.1\n".repeat(MB / 7 + 1)).getBytes(StandardCharsets.UTF_8);
        DeckLimits manyRows = new DeckLimits(MB, 4L * MB, MB);

        assertThatThrownBy(() -> parse(manyRows, "deck.csv", big))
                .isInstanceOfSatisfying(DeckTooLargeException.class, e -> {
                    assertThat(e.limit()).isEqualTo(DeckLimits.Limit.UPLOAD_BYTES);
                    assertThat(e.getMessage()).isEqualTo("The file is larger than the upload limit of 1 MB");
                });
    }

    private static ParsedDeck parse(DeckLimits limits, String name, byte[] bytes) {
        return new DeckParser(DeckParser.DEFAULT_MAX_RATE, limits).parse(name, new ByteArrayInputStream(bytes),
                DeckFormat.CANONICAL);
    }

    private static byte[] gzip(byte[] start, int size, byte value) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(start);
            writeRepeated(out, size, value);
        }
        return gz.toByteArray();
    }

    private static void writeRepeated(java.io.OutputStream out, int size, byte value) throws IOException {
        byte[] chunk = new byte[1 << 16];
        java.util.Arrays.fill(chunk, value);
        for (int written = 0; written < size; written += chunk.length) {
            out.write(chunk, 0, Math.min(chunk.length, size - written));
        }
    }
}
