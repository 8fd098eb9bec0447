package io.tandem.routing.deck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CSV examples a partner copies from {@code docs/csv-formats.md} import as the page says. The
 * examples are read from the page itself, so editing one there without updating the expectation
 * here (or the parser) fails this test instead of drifting apart.
 */
class DocumentedDeckExamplesTest {

    private static final Path DOC = Path.of("../docs/csv-formats.md");

    /** A fenced block right after a line naming its format, e.g. "... (`format=a2billing`, semicolons):". */
    private static final Pattern FORMAT_NAMED = Pattern.compile("\\(`format=(\\w+)`");

    /** How each documented example reads, in {@link DeckParserGoldenTest#render} form. */
    private static final Map<String, String> EXPECTED = Map.of(
            "canonical", """
                    format canonical, 4 data rows, 4 valid, 0 errors
                    row 2: 44 "United Kingdom" 0.012500 connect 0.000000 60/60 from 2026-12-01T00:00:00Z UPSERT
                    row 3: 447 "United Kingdom Mobile" 0.035000 connect 0.010000 30/6 from 2026-12-01T00:00:00Z UPSERT
                    row 4: 4420 "United Kingdom, London" 0.011900 connect 0.000000 1/1 from 2026-12-01T08:30:00Z UPSERT
                    row 5: 491 "Germany Mobile" from 2026-12-01T00:00:00Z CLOSE
                    """,
            "astpp", """
                    format astpp, 1 data rows, 1 valid, 0 errors
                    row 2: 44 "UK" 0.015000 connect 0.010000 60/60 from - UPSERT grace 0s
                    """,
            "a2billing", """
                    format a2billing, 1 data rows, 1 valid, 0 errors
                    row 2: 49 "Germany" 0.012000 connect 0.000000 60/60 from 2026-12-01T00:00:00Z UPSERT
                    """,
            "generic", """
                    format generic, 2 data rows, 2 valid, 0 errors
                    row 2: 61 "Australia" 0.020000 connect 0.000000 60/60 from 2026-12-01T00:00:00Z UPSERT
                    row 3: 614 "Australia Mobile" 0.040000 connect 0.000000 30/6 from 2026-12-15T00:00:00Z UPSERT
                    """);

    /** The page's CSV examples by format, in page order. */
    static Map<String, String> documentedExamples() throws IOException {
        List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        Map<String, String> examples = new LinkedHashMap<>();
        String lastText = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("```")) {
                if (!line.isBlank()) {
                    lastText = line;
                }
                continue;
            }
            StringBuilder block = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                block.append(lines.get(i)).append('\n');
            }
            Matcher named = FORMAT_NAMED.matcher(lastText);
            if (named.find()) {
                assertThat(examples.put(named.group(1), block.toString())).as("one example per format").isNull();
            }
            lastText = "";
        }
        return examples;
    }

    private static ParsedDeck parse(String format, String csv) {
        return new DeckParser().parse("example.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                DeckFormat.preset(format));
    }

    @Test
    void everyDocumentedExampleImportsAsThePageSays() throws IOException {
        Map<String, String> examples = documentedExamples();

        assertThat(examples.keySet()).as("an example for each preset, each checked below")
                .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        examples.forEach((format, csv) -> assertThat(DeckParserGoldenTest.render(parse(format, csv)))
                .as("the %s example in %s", format, DOC).isEqualTo(EXPECTED.get(format)));
    }

    @Test
    void documentedDeleteRowClosesItsCodeAtItsDate() throws IOException {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        Instant dec1 = Instant.parse("2026-12-01T00:00:00Z");
        List<CurrentRate> deck = List.of(new CurrentRate(7, "491", "Germany Mobile", 60_000, 0, 60, 60,
                Instant.parse("2025-01-01T00:00:00Z"), null, false));

        ParsedDeck example = parse("canonical", documentedExamples().get("canonical"));
        DeckDiff diff = DeckDiff.compute(deck, example.rows(), ImportMode.UPDATE, null, now, 7);

        assertThat(diff.samples().get(DiffKind.CLOSED)).singleElement().satisfies(closed -> {
            assertThat(closed.prefix()).isEqualTo("491");
            assertThat(closed.effectiveFrom()).isEqualTo(dec1);
        });
        assertThat(diff.plan().endAt()).isEqualTo(Map.of(dec1, List.of(7L)));
    }

    @Test
    void everyDocumentedDateLayoutIsRead() throws IOException {
        String dates = String.join(" ", Files.readAllLines(DOC, StandardCharsets.UTF_8)).replaceAll(".*\\bDates: ", "")
                .replaceAll("\\. A date in the past.*", "");
        List<String> written = new ArrayList<>();
        Matcher code = Pattern.compile("`([^`]+)`").matcher(dates);
        while (code.find()) {
            written.add(code.group(1));
        }
        StringBuilder csv = new StringBuilder("prefix,rate,effective_from\n");
        for (int i = 0; i < written.size(); i++) {
            csv.append(44 + i).append(",0.01,").append(written.get(i)).append('\n');
        }

        ParsedDeck deck = parse("canonical", csv.toString());

        assertThat(written).as("the dates the page lists").hasSize(4);
        assertThat(deck.errors()).isEmpty();
        assertThat(deck.rows()).extracting(DeckRow::effectiveFrom).containsExactly(
                Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-01T08:30:00Z"),
                Instant.parse("2026-12-01T08:30:00Z"), Instant.parse("2026-12-01T07:30:00Z"));
    }
}
