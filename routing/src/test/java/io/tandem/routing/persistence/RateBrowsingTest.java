package io.tandem.routing.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import io.tandem.routing.deck.CommitResult;
import io.tandem.routing.deck.CurrentRate;
import io.tandem.routing.deck.DeckFormat;
import io.tandem.routing.deck.DeckImport;
import io.tandem.routing.deck.ImportMode;
import io.tandem.routing.deck.ImportOptions;
import io.tandem.routing.deck.ImportPreview;
import io.tandem.routing.deck.ImportStatus;
import io.tandem.routing.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The console's rates browser and deck download on both databases: keyset pages walk a deck's rates (and a
 * prefix's) exactly as one big offset query orders them, scheduled periods of one prefix included; a discarded
 * upload leaves the deck as it was; the download streams every current and scheduled rate.
 */
class RateBrowsingTest {

    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final String HEADER = "prefix,destination,rate,connect_fee,initial_increment,next_increment,effective_from\n";

    private static ImportPreview upload(DeckImportRepository imports, long deck, String csv) {
        return imports.preview(deck, "deck.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), DeckFormat.CANONICAL,
                new ImportOptions(ImportMode.UPDATE, null, false), "alice").orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void keysetPagesWalkTheDeckInPrefixOrderAndADiscardChangesNothing(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            MutableClock clock = new MutableClock(START);
            RoutingWorld world = new RoutingWorld(dsl, clock);
            DeckImportRepository imports = new DeckImportRepository(dsl, clock);
            RateDeckRepository decks = new RateDeckRepository(dsl, clock);
            StringBuilder csv = new StringBuilder(HEADER);
            for (int i = 0; i < 1200; i++) {
                csv.append(4400 + i).append(",UK ").append(i).append(",0.010000,0,60,60,\n");
            }
            assertThat(imports.commit(upload(imports, world.sellDeck, csv.toString()).deckImport().id(), false))
                    .isInstanceOf(CommitResult.Committed.class);
            // a scheduled change of one prefix: two periods with the same prefix, which the keyset must keep apart
            assertThat(imports.commit(upload(imports, world.sellDeck, HEADER + "4410,UK 10,0.009000,0,60,60,2026-12-30\n")
                    .deckImport().id(), true)).isInstanceOf(CommitResult.Committed.class);

            List<CurrentRate> byOffset = decks.rates(world.sellDeck, "", 0, 10_000);
            assertThat(byOffset).hasSize(1201);
            assertThat(walk(decks, world.sellDeck, "", 97)).containsExactlyElementsOf(byOffset);
            assertThat(walk(decks, world.sellDeck, "441", 13)).containsExactlyElementsOf(decks.rates(world.sellDeck, "441", 0, 10_000))
                    .hasSize(11);
            assertThat(walk(decks, world.sellDeck, "9", 10)).isEmpty();

            ImportPreview pending = upload(imports, world.sellDeck, HEADER + "4499,new,0.020000,0,60,60,\n4400,UK 0,0.001000,0,60,60,\n");
            DeckImport discarded = imports.discard(pending.deckImport().id()).orElseThrow();
            assertThat(discarded.status()).isEqualTo(ImportStatus.REJECTED);
            assertThat(imports.commit(pending.deckImport().id(), false)).isInstanceOf(CommitResult.NotCommittable.class);
            assertThat(decks.rates(world.sellDeck, "", 0, 10_000)).containsExactlyElementsOf(byOffset);

            List<CurrentRate> downloaded = new ArrayList<>();
            assertThat(decks.streamRates(world.sellDeck, downloaded::add)).isEqualTo(1201);
            assertThat(downloaded).containsExactlyElementsOf(byOffset);
        }
    }

    private static List<CurrentRate> walk(RateDeckRepository decks, long deck, String prefix, int pageSize) {
        List<CurrentRate> walked = new ArrayList<>();
        CurrentRate after = null;
        while (true) {
            List<CurrentRate> page = decks.ratesAfter(deck, prefix, after, pageSize);
            walked.addAll(page);
            if (page.size() < pageSize) {
                return walked;
            }
            after = page.getLast();
        }
    }
}
