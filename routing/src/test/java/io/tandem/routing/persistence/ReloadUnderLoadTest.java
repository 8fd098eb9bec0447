package io.tandem.routing.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.db.ConfigVersionStamp;
import io.tandem.db.DatabaseKind;
import io.tandem.db.testing.TestDatabase;
import io.tandem.db.testing.TestDatabases;
import io.tandem.routing.RouteDecision;
import io.tandem.routing.RouteResult;
import io.tandem.routing.deck.CommitResult;
import io.tandem.routing.deck.DeckFormat;
import io.tandem.routing.deck.ImportMode;
import io.tandem.routing.deck.ImportOptions;
import io.tandem.routing.reload.RouteTableHolder;
import io.tandem.routing.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two nodes on one database, each with its own pool and holder, route calls on two threads while
 * decks are imported: every lookup gets a route, and both nodes see every new version within 2 s.
 */
class ReloadUnderLoadTest {

    private static final String HEADER = "prefix,destination,rate,connect_fee,initial_increment,next_increment,effective_from\n";

    private static void importDeck(DeckImportRepository imports, long deck, String rate) {
        String csv = HEADER + "44,UK," + rate + ",0,60,60,\n";
        long id = imports.preview(deck, "deck.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                DeckFormat.CANONICAL, new ImportOptions(ImportMode.FULL, null, false), "ops").orElseThrow().deckImport().id();
        assertThat(imports.commit(id, true)).isInstanceOf(CommitResult.Committed.class);
    }

    @ParameterizedTest
    @MethodSource("io.tandem.db.testing.TestDatabases#kinds")
    void lookupsNeverFailWhileBothNodesReload(DatabaseKind kind) throws Exception {
        try (TestDatabase db = TestDatabases.of(kind);
             var poolA = db.newPool(4);
             var poolB = db.newPool(4)) {
            DSLContext dsl = db.dsl();
            Clock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
            RoutingWorld world = new RoutingWorld(dsl, clock);
            DeckImportRepository imports = new DeckImportRepository(dsl, clock);
            importDeck(imports, world.sellDeck, "0.050000");
            importDeck(imports, world.northDeck, "0.010000");
            importDeck(imports, world.southDeck, "0.020000");

            Duration poll = Duration.ofMillis(200);
            try (RouteTableHolder nodeA = new RouteTableHolder(new RouteTableLoader(org.jooq.impl.DSL.using(poolA, dsl.dialect()), clock), poll).start();
                 RouteTableHolder nodeB = new RouteTableHolder(new RouteTableLoader(org.jooq.impl.DSL.using(poolB, dsl.dialect()), clock), poll).start()) {
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicLong lookups = new AtomicLong();
                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                List<Thread> callers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    RouteTableHolder node = i % 2 == 0 ? nodeA : nodeB;
                    callers.add(Thread.ofPlatform().name("caller-" + i).start(() -> {
                        while (running.get()) {
                            RouteResult result = node.current().route(world.trunk, "99#02079460000", "", clock.instant());
                            if (!(result instanceof RouteDecision decision) || decision.candidates().size() != 2) {
                                failures.add(String.valueOf(result));
                            }
                            if (lookups.incrementAndGet() % 1000 == 0) {
                                // leave CPU to the reload threads and the database on a small machine
                                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                            }
                        }
                    }));
                }
                // alternate the cheaper vendor so that every version orders the vendors differently
                for (int round = 0; round < 4; round++) {
                    importDeck(imports, world.northDeck, round % 2 == 0 ? "0.030000" : "0.010000");
                    long version = ConfigVersionStamp.current(dsl);
                    if (round % 2 == 1) {
                        nodeA.poke();
                    }
                    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    while ((nodeA.current().version() != version || nodeB.current().version() != version)
                            && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    assertThat(nodeA.current().version()).as("node A, round %s", round).isEqualTo(version);
                    assertThat(nodeB.current().version()).as("node B, round %s", round).isEqualTo(version);
                    RouteDecision decision = (RouteDecision) nodeB.current().route(world.trunk, "99#02079460000", "", clock.instant());
                    assertThat(decision.candidates().get(0).vendorName()).isEqualTo(round % 2 == 0 ? "south" : "north");
                }
                running.set(false);
                for (Thread caller : callers) {
                    caller.join();
                }
                assertThat(failures).isEmpty();
                assertThat(lookups.get()).isGreaterThan(1000);
            }
        }
    }
}
