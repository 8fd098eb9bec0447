package io.tandem.routing.deck;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.routing.Micros;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every deck in {@code src/test/resources/decks} is parsed with its format and the outcome (valid
 * rows and errors, as a partner would read them) compared with {@code <name>.expected}. After a
 * deliberate change, regenerate with {@code -Dtandem.golden.update=true} and review the diff.
 */
class DeckParserGoldenTest {

    private static final Path DIR = Path.of("src/test/resources/decks");

    /** The partner layout of custom-offset.csv: two title rows, then a header, columns by name and position. */
    static final DeckFormat CUSTOM = DeckFormat.CANONICAL.withColumns("custom", Map.of(
            DeckField.PREFIX, List.of("Dial code"),
            DeckField.DESTINATION, List.of("#2"),
            DeckField.RATE, List.of("Peak EUR"),
            DeckField.INCREMENTS, List.of("Billing"),
            DeckField.EFFECTIVE_FROM, List.of("Start")), true).withHeaderOffset(2);

    static DeckFormat formatOf(String file) {
        if (file.startsWith("generic-decimal-comma")) {
            return DeckFormat.GENERIC.withDelimiter(';').withDecimalComma(true);
        }
        if (file.startsWith("custom")) {
            return CUSTOM;
        }
        for (String preset : List.of("astpp", "a2billing", "generic")) {
            if (file.startsWith(preset)) {
                return DeckFormat.preset(preset);
            }
        }
        return DeckFormat.CANONICAL;
    }

    static Stream<String> decks() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv")).sorted().toList().stream();
        }
    }

    static String render(ParsedDeck deck) {
        StringBuilder out = new StringBuilder();
        out.append("format ").append(deck.format()).append(", ").append(deck.rowCount()).append(" data rows, ")
                .append(deck.rows().size()).append(" valid, ").append(deck.errorCount()).append(" errors\n");
        for (DeckRow row : deck.rows()) {
            out.append("row ").append(row.row()).append(": ").append(row.prefix()).append(" \"").append(row.destination())
                    .append("\" ");
            if (row.action() != RowAction.CLOSE) {
                // a closing row has no price: its code stops being billed
                out.append(Micros.format(row.rateMicros())).append(" connect ").append(Micros.format(row.connectFeeMicros()))
                        .append(' ').append(row.initialIncrement()).append('/').append(row.nextIncrement()).append(' ');
            }
            out.append("from ").append(row.effectiveFrom() == null ? "-" : row.effectiveFrom())
                    .append(' ').append(row.action()).append(row.graceSeconds() >= 0 ? " grace " + row.graceSeconds() + "s" : "")
                    .append('\n');
        }
        for (RowError error : deck.errors()) {
            out.append("error row ").append(error.row()).append(" [").append(error.column()).append("]: ")
                    .append(error.message()).append('\n');
        }
        return out.toString();
    }

    @ParameterizedTest
    @MethodSource("decks")
    void parsesLikeTheGoldenFile(String file) throws IOException {
        ParsedDeck deck;
        try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
            deck = new DeckParser().parse(file, in, formatOf(file));
        }
        String actual = render(deck);
        Path expected = DIR.resolve(file.replace(".csv", ".expected"));
        if (Boolean.getBoolean("tandem.golden.update")) {
            Files.writeString(expected, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(expected));
    }

    @Test
    void gzipAndZipReadLikeThePlainFile() throws IOException {
        byte[] plain = Files.readAllBytes(DIR.resolve("canonical-good.csv"));
        String expected = Files.readString(DIR.resolve("canonical-good.expected"));

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("__MACOSX/._deck.csv"));
            out.write(new byte[] {0, 1, 2});
            out.putNextEntry(new ZipEntry("deck.csv"));
            out.write(plain);
        }

        assertThat(render(parse("deck.csv.gz", gz.toByteArray()))).isEqualTo(expected);
        assertThat(render(parse("deck.zip", zip.toByteArray()))).isEqualTo(expected);
        assertThat(render(parse("renamed.csv", gz.toByteArray()))).as("recognised by content").isEqualTo(expected);
    }

    @Test
    void archivesThatAreNotOneDeckAreRefused() throws IOException {
        ByteArrayOutputStream twoDecks = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(twoDecks)) {
            out.putNextEntry(new ZipEntry("a.csv"));
            out.write("prefix,rate\n44,0.1\n".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("b.csv"));
            out.write("prefix,rate\n33,0.1\n".getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream noCsv = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(noCsv)) {
            out.putNextEntry(new ZipEntry("readme.pdf"));
            out.write(1);
        }

        assertThat(parse("decks.zip", twoDecks.toByteArray()).errors()).extracting(RowError::message)
                .containsExactly("The zip archive holds more than one CSV file (a.csv, b.csv); upload one deck at a time");
        assertThat(parse("deck.zip", noCsv.toByteArray()).errors()).extracting(RowError::message)
                .containsExactly("The zip archive holds no .csv file");
        assertThat(parse("deck.csv.gz", "prefix,rate\n".getBytes(StandardCharsets.UTF_8)).errors())
                .extracting(RowError::message).containsExactly("The file is named deck.csv.gz but is not a gzip file");
    }

    private static ParsedDeck parse(String name, byte[] bytes) {
        return new DeckParser().parse(name, new ByteArrayInputStream(bytes), DeckFormat.CANONICAL);
    }
}
