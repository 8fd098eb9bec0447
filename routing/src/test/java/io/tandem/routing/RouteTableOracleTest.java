package io.tandem.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.routing.testing.RandomCases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Rate lookup and LCR ordering against brute-force oracles over random decks: a flat list of rates
 * scanned in full for every question.
 */
class RouteTableOracleTest {

    /** One rate period as the oracle sees it. */
    record Row(int deck, String prefix, long rate, long from, long until) {
    }

    @Test
    void rateInForceIsTheLongestPrefixValidAtThatInstant() {
        RandomCases.check(400, random -> {
            List<Row> rows = randomHistories(random);
            RouteTable.Builder builder = RouteTable.builder(1);
            for (int deck = 0; deck < 4; deck++) {
                builder.deck(deck, deck, DeckDirection.BUY, "EUR");
            }
            for (Row row : rows) {
                builder.rate(row.deck(), row.prefix(), "", row.rate(), 0, 60, 60, row.from(), row.until(), false);
            }
            RouteTable table = builder.build();
            for (int probe = 0; probe < 20; probe++) {
                String number = RandomCases.string(random, "1234", 1, 6);
                // instants on and around period boundaries
                long t = random.nextInt(0, 121) * 60_000L + random.nextInt(-1, 2);
                for (int deck = 0; deck < 4; deck++) {
                    int d = deck;
                    Optional<Row> expected = rows.stream()
                            .filter(r -> r.deck() == d && number.startsWith(r.prefix()) && r.from() <= t && t < r.until())
                            .max(Comparator.comparingInt(r -> r.prefix().length()));
                    Optional<Rate> actual = table.rateAt(deck, number, Instant.ofEpochMilli(t));
                    assertThat(actual.map(r -> r.prefix() + "=" + r.ratePerMinuteMicros()))
                            .as("deck %s, number %s, t=%s, rows %s", deck, number, t, rows)
                            .isEqualTo(expected.map(r -> r.prefix() + "=" + r.rate()));
                }
            }
        });
    }

    /**
     * Per (deck, prefix), periods that do not overlap, like a real deck's history: cut points with
     * a random rate per period, open-ended or closed at the end (a deleted code).
     */
    private static List<Row> randomHistories(SplittableRandom random) {
        List<Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int histories = random.nextInt(0, 40);
        for (int h = 0; h < histories; h++) {
            int deck = random.nextInt(4);
            String prefix = RandomCases.string(random, "123", 1, 4);
            if (!seen.add(deck + "/" + prefix)) {
                continue;
            }
            List<Integer> cuts = random.ints(random.nextInt(1, 5), 0, 91).distinct().sorted().boxed().toList();
            boolean openEnded = random.nextBoolean();
            for (int i = 0; i < cuts.size(); i++) {
                long from = cuts.get(i) * 60_000L;
                long until = i + 1 < cuts.size() ? cuts.get(i + 1) * 60_000L
                        : openEnded ? RouteTable.OPEN_ENDED : from + 30 * 60_000L;
                rows.add(new Row(deck, prefix, random.nextLong(1, 500_000), from, until));
            }
        }
        return rows;
    }

    @Test
    void lcrOffersAffordableVendorsCheapestFirst() {
        RandomCases.check(500, random -> {
            long sellMicros = random.nextLong(1, 600_000);
            int vendorCount = random.nextInt(1, 13);
            List<Long> vendorRates = new ArrayList<>();
            for (int n = 0; n < vendorCount; n++) {
                int kind = random.nextInt(4);
                // -1 = no rate; equal rates are likely so that ties by priority get exercised
                vendorRates.add(kind == 0 ? -1L : kind == 1 ? 10_000L * random.nextInt(1, 3) : random.nextLong(0, 600_000));
            }
            TableFixture fixture = new TableFixture();
            fixture.builder.rate(TableFixture.SELL_DECK, "44", "UK", sellMicros, 0, 60, 60, 0, RouteTable.OPEN_ENDED, false);
            for (int n = 0; n < vendorCount; n++) {
                fixture.vendor(n);
                if (vendorRates.get(n) >= 0) {
                    fixture.builder.rate(200 + n, n % 2 == 0 ? "44" : "447", "UK", vendorRates.get(n), 0, 60, 60, 0,
                            RouteTable.OPEN_ENDED, false);
                }
                fixture.rule("", n, 100 - n % 3, 100);
            }
            RouteTable table = fixture.maxAttempts(20).build();

            RouteResult result = table.route(TableFixture.TRUNK, "447700900123", "", Instant.ofEpochSecond(60));

            record Expected(long vendor, long rate, int priority) {
            }
            List<Expected> oracle = new ArrayList<>();
            for (int n = 0; n < vendorCount; n++) {
                long rate = vendorRates.get(n);
                if (rate >= 0 && rate <= sellMicros) {
                    oracle.add(new Expected(1000 + n, rate, 100 - n % 3));
                }
            }
            oracle.sort(Comparator.comparingLong(Expected::rate).thenComparingInt(Expected::priority)
                    .thenComparingLong(Expected::vendor));
            List<Long> expectedOrder = oracle.stream().map(Expected::vendor).toList();
            if (expectedOrder.isEmpty()) {
                assertThat(result).isInstanceOf(NoRoute.class);
                assertThat(((NoRoute) result).reason()).isEqualTo(NoRouteReason.NO_VENDOR);
            } else {
                assertThat(result).isInstanceOf(RouteDecision.class);
                assertThat(((RouteDecision) result).candidates()).extracting(VendorCandidate::vendorAccountId)
                        .as("sell %s, vendor rates %s", sellMicros, vendorRates)
                        .containsExactlyElementsOf(expectedOrder);
            }
            long noRate = vendorRates.stream().filter(r -> r < 0).count();
            long dear = vendorRates.stream().filter(r -> r > sellMicros).count();
            assertThat(result.skipped()).filteredOn(s -> s.reason() == SkipReason.NO_RATE).hasSize((int) noRate);
            assertThat(result.skipped()).filteredOn(s -> s.reason() == SkipReason.ABOVE_SELL_RATE).hasSize((int) dear);
        });
    }
}
