package io.tandem.routing.persistence;

import static io.tandem.db.jooq.Tables.RATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.tandem.db.ConfigVersionStamp;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import io.tandem.routing.Micros;
import io.tandem.routing.Rate;
import io.tandem.routing.RouteDecision;
import io.tandem.routing.RouteResult;
import io.tandem.routing.RouteTable;
import io.tandem.routing.VendorCandidate;
import io.tandem.routing.deck.CommitResult;
import io.tandem.routing.deck.CurrentRate;
import io.tandem.routing.deck.DeckFormat;
import io.tandem.routing.deck.DeckImport;
import io.tandem.routing.deck.DiffKind;
import io.tandem.routing.deck.ImportMode;
import io.tandem.routing.deck.ImportOptions;
import io.tandem.routing.deck.ImportPreview;
import io.tandem.routing.deck.ImportStatus;
import io.tandem.routing.deck.RowError;
import io.tandem.routing.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.jooq.DSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DeckImportRepositoryTest {

    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final String HEADER = "prefix,destination,rate,connect_fee,initial_increment,next_increment,effective_from,action\n";

    private static ImportPreview upload(DeckImportRepository imports, long deck, String csv, ImportMode mode, boolean keep) {
        return imports.preview(deck, "deck.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                DeckFormat.CANONICAL, new ImportOptions(mode, null, keep), "alice").orElseThrow();
    }

    private static DeckImport committed(CommitResult result) {
        assertThat(result).as("%s", result).isInstanceOf(CommitResult.Committed.class);
        return ((CommitResult.Committed) result).deckImport();
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void previewThenCommitReplacesTheDeckWholeWithDeletionsAndNotice(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            MutableClock clock = new MutableClock(START);
            RoutingWorld world = new RoutingWorld(dsl, clock);
            DeckImportRepository imports = new DeckImportRepository(dsl, clock);
            RateDeckRepository decks = new RateDeckRepository(dsl, clock);

            ImportPreview first = upload(imports, world.sellDeck, HEADER
                    + "44,UK,0.010000,0,60,60,,\n447,UK Mobile,0.050000,0,60,60,,\n33,France,0.020000,0,60,60,,\n"
                    + "49,Germany,0.030000,0,60,60,,\n", ImportMode.FULL, false);

            assertThat(first.deckImport().status()).isEqualTo(ImportStatus.PREVIEWED);
            assertThat(first.diff().count(DiffKind.NEW)).isEqualTo(4);
            assertThat(decks.rates(world.sellDeck, "", 0, 100)).as("a preview changes nothing").isEmpty();
            long versionBefore = ConfigVersionStamp.current(dsl);

            committed(imports.commit(first.deckImport().id(), false));

            assertThat(decks.rates(world.sellDeck, "", 0, 100)).extracting(CurrentRate::prefix)
                    .containsExactly("33", "44", "447", "49");
            assertThat(ConfigVersionStamp.current(dsl)).isGreaterThan(versionBefore);
            assertThat(decks.find(world.sellDeck).orElseThrow().deckVersion()).isEqualTo(1);

            clock.advance(Duration.ofHours(1));
            // 44 up (effective now: inside the 7-day notice), 447 down, 33 same, 49 left out, 86 new
            ImportPreview second = upload(imports, world.sellDeck, HEADER
                    + "44,UK,0.012000,0,60,60,,\n447,UK Mobile,0.040000,0,60,60,,\n33,France,0.020000,0,60,60,,\n"
                    + "86,China,0.015000,0,1,1,,\n", ImportMode.FULL, false);
            assertThat(second.diff().counts()).containsEntry(DiffKind.NEW, 1).containsEntry(DiffKind.INCREASED, 1)
                    .containsEntry(DiffKind.DECREASED, 1).containsEntry(DiffKind.UNCHANGED, 1).containsEntry(DiffKind.CLOSED, 1);
            assertThat(second.diff().noticeViolationCount()).isEqualTo(1);

            CommitResult refused = imports.commit(second.deckImport().id(), false);
            assertThat(refused).isInstanceOf(CommitResult.NoticeRequired.class);
            assertThat(((CommitResult.NoticeRequired) refused).increases()).extracting(l -> l.prefix()).containsExactly("44");
            assertThat(decks.rates(world.sellDeck, "44", 0, 100)).extracting(CurrentRate::prefix, CurrentRate::rateMicros)
                    .as("prefix filter: 44 and what starts with it").containsExactly(tuple("44", 10_000L), tuple("447", 50_000L));

            DeckImport done = committed(imports.commit(second.deckImport().id(), true));

            assertThat(done.closedCount()).isEqualTo(1);
            Instant now = clock.instant();
            assertThat(decks.rates(world.sellDeck, "", 0, 100))
                    .extracting(CurrentRate::prefix, CurrentRate::rateMicros, CurrentRate::effectiveFrom)
                    .containsExactly(tuple("33", 20_000L, START), tuple("44", 12_000L, now), tuple("447", 40_000L, now),
                            tuple("86", 15_000L, now));
            assertThat(dsl.fetchCount(RATE, RATE.DECK_ID.eq(world.sellDeck).and(RATE.PREFIX.eq("33"))))
                    .as("an unchanged code keeps its one row").isEqualTo(1);
            assertThat(dsl.fetchOne(RATE, RATE.DECK_ID.eq(world.sellDeck).and(RATE.PREFIX.eq("49"))).getEffectiveUntil())
                    .as("a code left out of a full deck is closed, not deleted").isEqualTo(now);

            List<DeckImport> history = imports.history(world.sellDeck, 0, 10);
            assertThat(history).extracting(DeckImport::id, DeckImport::status, DeckImport::uploadedBy)
                    .containsExactly(tuple(second.deckImport().id(), ImportStatus.COMMITTED, "alice"),
                            tuple(first.deckImport().id(), ImportStatus.COMMITTED, "alice"));
            assertThat(history.get(0).fileSha256()).hasSize(64).isNotEqualTo(history.get(1).fileSha256());
            assertThat(imports.commit(first.deckImport().id(), false)).isInstanceOf(CommitResult.NotCommittable.class);
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void invalidFilesWriteNothingUnlessValidRowsAreKept(DatabaseKind kind) throws IOException {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            MutableClock clock = new MutableClock(START);
            RoutingWorld world = new RoutingWorld(dsl, clock);
            DeckImportRepository imports = new DeckImportRepository(dsl, clock);
            String csv = HEADER + "44,UK,0.01,0,60,60,,\n4X,Bad,0.01,0,60,60,,\n33,France,-1,0,60,60,,\n";

            ImportPreview rejected = upload(imports, world.northDeck, csv, ImportMode.UPDATE, false);

            assertThat(rejected.deckImport().status()).isEqualTo(ImportStatus.REJECTED);
            assertThat(rejected.diff()).isNull();
            assertThat(imports.find(rejected.deckImport().id()).orElseThrow().errors()).extracting(RowError::row, RowError::column)
                    .containsExactly(tuple(3, "prefix"), tuple(4, "rate"));
            assertThat(dsl.fetchCount(RATE)).isZero();
            assertThat(imports.commit(rejected.deckImport().id(), false)).isInstanceOf(CommitResult.NotCommittable.class);

            ImportPreview kept = upload(imports, world.northDeck, csv, ImportMode.UPDATE, true);
            assertThat(kept.keptValidRows()).isTrue();
            assertThat(kept.deckImport().errorCount()).isEqualTo(2);
            committed(imports.commit(kept.deckImport().id(), false));
            assertThat(new RateDeckRepository(dsl, clock).rates(world.northDeck, "", 0, 10)).extracting(CurrentRate::prefix)
                    .containsExactly("44");

            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write((HEADER + "1,USA,0.005,0,6,6,,\n").getBytes(StandardCharsets.UTF_8));
            }
            ImportPreview gzip = imports.preview(world.southDeck, "south.csv.gz", new ByteArrayInputStream(gz.toByteArray()),
                    DeckFormat.CANONICAL, new ImportOptions(ImportMode.UPDATE, null, false), "bob").orElseThrow();
            assertThat(gzip.diff().count(DiffKind.NEW)).isEqualTo(1);
            assertThat(imports.preview(999_999, "x.csv", new ByteArrayInputStream(new byte[0]), DeckFormat.CANONICAL,
                    new ImportOptions(ImportMode.UPDATE, null, false), "bob")).isEmpty();

            // two operators commit two previews of the same deck at once: one wins, the other is told
            long a = upload(imports, world.southDeck, HEADER + "1,USA,0.006,0,6,6,,\n", ImportMode.UPDATE, false).deckImport().id();
            long b = upload(imports, world.southDeck, HEADER + "1,USA,0.007,0,6,6,,\n", ImportMode.UPDATE, false).deckImport().id();
            java.util.concurrent.CompletableFuture<CommitResult> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> imports.commit(a, true));
            java.util.concurrent.CompletableFuture<CommitResult> second = java.util.concurrent.CompletableFuture.supplyAsync(() -> imports.commit(b, true));
            assertThat(List.of(first.join(), second.join())).extracting(r -> r.getClass().getSimpleName())
                    .containsExactlyInAnyOrder("Committed", "NotCommittable");
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void futureRatesTakeEffectAtTheirInstantAndALaterCommitSupersedesPendingPreviews(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            MutableClock clock = new MutableClock(START);
            RoutingWorld world = new RoutingWorld(dsl, clock);
            DeckImportRepository imports = new DeckImportRepository(dsl, clock);
            committed(imports.commit(upload(imports, world.sellDeck, HEADER + "44,UK,0.010000,0,60,60,,\n",
                    ImportMode.FULL, false).deckImport().id(), false));
            committed(imports.commit(upload(imports, world.northDeck, HEADER + "44,UK,0.004000,0,60,60,,\n",
                    ImportMode.FULL, false).deckImport().id(), false));
            committed(imports.commit(upload(imports, world.southDeck, HEADER + "44,UK,0.006000,0,60,60,,\n",
                    ImportMode.FULL, false).deckImport().id(), false));

            Instant change = Instant.parse("2026-12-10T00:00:00Z");
            ImportPreview pending = upload(imports, world.northDeck, HEADER + "44,UK,0.001000,0,60,60,,\n",
                    ImportMode.UPDATE, false);
            ImportPreview future = upload(imports, world.northDeck, HEADER + "44,UK,0.008000,0,60,60,2026-12-10T00:00:00Z,\n",
                    ImportMode.UPDATE, false);
            assertThat(future.diff().noticeViolationCount()).as("18 days ahead is outside the notice").isZero();
            committed(imports.commit(future.deckImport().id(), false));
            assertThat(imports.find(pending.deckImport().id()).orElseThrow().status()).isEqualTo(ImportStatus.REJECTED);

            RouteTable table = new RouteTableLoader(dsl, clock).load();
            RouteResult before = table.route(world.trunk, "99#02079460000", "", change.minusMillis(1));
            RouteResult after = table.route(world.trunk, "99#02079460000", "", change);

            assertThat(((RouteDecision) before).candidates()).extracting(VendorCandidate::vendorName).containsExactly("north", "south");
            assertThat(((RouteDecision) after).candidates()).extracting(VendorCandidate::vendorName)
                    .as("north's increase makes it dearer than south from Dec 10").containsExactly("south", "north");
            Rate north = ((RouteDecision) after).candidates().get(1).buyRate();
            assertThat(north.ratePerMinuteMicros()).isEqualTo(Micros.of(new java.math.BigDecimal("0.008")));
            assertThat(north.effectiveFrom()).isEqualTo(change);
            assertThat(before.callee()).isEqualTo("442079460000");
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void anAstppDecksGraceTimeIsKeptPerCodeAndTheDecksOwnCoversTheRest(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            MutableClock clock = new MutableClock(START);
            RoutingWorld world = new RoutingWorld(dsl, clock);
            DeckImportRepository imports = new DeckImportRepository(dsl, clock);
            dsl.update(io.tandem.db.jooq.Tables.RATE_DECK).set(io.tandem.db.jooq.Tables.RATE_DECK.GRACE_SECONDS, 3)
                    .where(io.tandem.db.jooq.Tables.RATE_DECK.ID.eq(world.sellDeck)).execute();
            String astpp = "Code,Destination,Connection Cost,Grace Time,Cost / Min,Initial Increment,Increment\n"
                    + "4420,UK London,0,10,0.0200,1,1\n44,UK,0,,0.0100,1,1\n";
            committed(imports.commit(astppUpload(imports, world.sellDeck, astpp).deckImport().id(), false));
            committed(imports.commit(upload(imports, world.northDeck, HEADER + "44,UK,0.004000,0,60,60,,\n",
                    ImportMode.FULL, false).deckImport().id(), false));

            RouteTable table = new RouteTableLoader(dsl, clock).load();
            Rate london = ((RouteDecision) table.route(world.trunk, "99#02079460000", "", START)).sellRate();
            Rate elsewhere = ((RouteDecision) table.route(world.trunk, "99#01610000000", "", START)).sellRate();
            assertThat(london.prefix()).isEqualTo("4420");
            assertThat(london.graceSeconds()).as("the code's own grace time").isEqualTo(10);
            assertThat(elsewhere.prefix()).isEqualTo("44");
            assertThat(elsewhere.graceSeconds()).as("no grace time in the file: the deck's").isEqualTo(3);

            clock.advance(Duration.ofMinutes(1));
            ImportPreview longerGrace = astppUpload(imports, world.sellDeck, astpp.replace(",10,", ",20,"));
            assertThat(longerGrace.diff().count(DiffKind.DECREASED)).as("a longer grace time makes short calls cheaper").isEqualTo(1);
            assertThat(longerGrace.diff().count(DiffKind.UNCHANGED)).isEqualTo(1);
        }
    }

    private static ImportPreview astppUpload(DeckImportRepository imports, long deck, String csv) {
        return imports.preview(deck, "astpp.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                DeckFormat.ASTPP, new ImportOptions(ImportMode.FULL, null, false), "alice").orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void aCommitOnAnotherNodeOrAfterTheDeckChangedDiffsAgainstTheDeckAsItIsThen(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            MutableClock clock = new MutableClock(START);
            RoutingWorld world = new RoutingWorld(dsl, clock);
            DeckImportRepository nodeA = new DeckImportRepository(dsl, clock);
            DeckImportRepository nodeB = new DeckImportRepository(dsl, clock);
            committed(nodeA.commit(upload(nodeA, world.northDeck, HEADER + "44,UK,0.004000,0,60,60,,\n33,FR,0.003000,0,60,60,,\n",
                    ImportMode.FULL, false).deckImport().id(), false));
            clock.advance(Duration.ofMinutes(1));
            // previewed on A against {44, 33}; then B commits an update of the same deck first
            ImportPreview replace = upload(nodeA, world.northDeck, HEADER + "44,UK,0.004000,0,60,60,,\n", ImportMode.FULL, false);
            assertThat(replace.diff().count(DiffKind.CLOSED)).isEqualTo(1);
            clock.advance(Duration.ofMinutes(1));
            committed(nodeB.commit(upload(nodeB, world.northDeck, HEADER + "49,DE,0.002000,0,60,60,,\n",
                    ImportMode.UPDATE, false).deckImport().id(), false));
            assertThat(nodeA.commit(replace.deckImport().id(), false))
                    .as("the update superseded the pending preview").isInstanceOf(CommitResult.NotCommittable.class);

            clock.advance(Duration.ofMinutes(1));
            ImportPreview again = upload(nodeA, world.northDeck, HEADER + "44,UK,0.004000,0,60,60,,\n", ImportMode.FULL, false);
            DeckImport done = committed(nodeB.commit(again.deckImport().id(), false));
            assertThat(done.closedCount()).as("committed on B: 33 and 49 closed, diffed from the staged rows").isEqualTo(2);
            clock.advance(Duration.ofMinutes(1));
            RouteTable table = new RouteTableLoader(dsl, clock).load();
            assertThat(table.rateAt(world.northDeck, "4930000", clock.instant())).isEmpty();
            assertThat(table.rateAt(world.northDeck, "4420000", clock.instant())).isPresent();
        }
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void theDocumentedDeleteRowWithoutARateClosesItsCodeAtItsDate(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.of(kind)) {
            DSLContext dsl = db.dsl();
            MutableClock clock = new MutableClock(START);
            RoutingWorld world = new RoutingWorld(dsl, clock);
            DeckImportRepository nodeA = new DeckImportRepository(dsl, clock);
            DeckImportRepository nodeB = new DeckImportRepository(dsl, clock);
            committed(nodeA.commit(upload(nodeA, world.northDeck, HEADER + "49,Germany,0.010000,0,60,60,,\n"
                    + "491,Germany Mobile,0.050000,0,60,60,,\n", ImportMode.FULL, false).deckImport().id(), false));
            clock.advance(Duration.ofMinutes(1));

            // the row as docs/csv-formats.md shows it
            ImportPreview delete = upload(nodeA, world.northDeck, HEADER + "491,Germany Mobile,,,,,2026-12-01,delete\n",
                    ImportMode.UPDATE, false);
            assertThat(delete.deckImport().status()).isEqualTo(ImportStatus.PREVIEWED);
            assertThat(delete.diff().count(DiffKind.CLOSED)).isEqualTo(1);
            // committed on another node: the diff is made again from the staged rows
            DeckImport done = committed(nodeB.commit(delete.deckImport().id(), false));

            Instant dec1 = Instant.parse("2026-12-01T00:00:00Z");
            assertThat(done.closedCount()).isEqualTo(1);
            assertThat(dsl.fetch(RATE, RATE.DECK_ID.eq(world.northDeck).and(RATE.PREFIX.eq("491"))))
                    .as("the code's one period ends on Dec 1; no staged row is left")
                    .extracting(r -> Micros.of(r.getRatePerMinute()), r -> r.getEffectiveUntil()).containsExactly(tuple(50_000L, dec1));
            RouteTable table = new RouteTableLoader(dsl, clock).load();
            assertThat(table.rateAt(world.northDeck, "4915000", clock.instant())).map(Rate::ratePerMinuteMicros).contains(50_000L);
            assertThat(table.rateAt(world.northDeck, "4915000", dec1)).as("then 49 matches").map(Rate::ratePerMinuteMicros)
                    .contains(10_000L);
        }
    }
}
