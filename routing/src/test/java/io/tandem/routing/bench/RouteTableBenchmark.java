package io.tandem.routing.bench;

import io.tandem.routing.DeckDirection;
import io.tandem.routing.Gateway;
import io.tandem.routing.RouteOptions;
import io.tandem.routing.RouteResult;
import io.tandem.routing.RouteTable;
import io.tandem.routing.RoutingProfile;
import io.tandem.routing.RoutingRule;
import io.tandem.routing.Strategy;
import io.tandem.routing.Trunk;
import io.tandem.routing.Vendor;
import io.tandem.routing.normalize.NumberNormalizer;
import io.tandem.routing.trie.PrefixTrie;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The routing table at carrier scale: 50 vendor decks of 20,000 codes (1,000,000 rates) plus a
 * customer sell deck. Build time, single-thread lookups of one deck's rate, and a full LCR
 * decision over {@code routedVendors} vendors. Run: see docs/performance.md.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class RouteTableBenchmark {

    static final int VENDORS = 50;
    static final int CODES = 20_000;
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    @Param({"10", "50"})
    public int routedVendors;

    SyntheticDecks data;
    RouteTable table;
    PrefixTrie trie;
    String[] numbers;
    String[] dialled;
    int next;
    RouteOptions options;

    @Setup(Level.Trial)
    public void setUp() {
        data = SyntheticDecks.generate(VENDORS, CODES, 42);
        table = build(data, routedVendors);
        PrefixTrie.Builder builder = PrefixTrie.builder(data.size());
        for (String p : data.prefix) {
            builder.add(p);
        }
        trie = builder.build();
        numbers = data.numbers(1 << 16, 7);
        dialled = new String[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            dialled[i] = numbers[i];
        }
        options = RouteOptions.DEFAULT.withRandom(new SplittableRandom(1));
    }

    /** The whole table: 1,000,000 vendor rates, the sell deck, 50 vendors with a gateway each, one profile. */
    static RouteTable build(SyntheticDecks data, int routedVendors) {
        RouteTable.Builder builder = RouteTable.builder(1);
        long from = NOW.minusSeconds(86_400).toEpochMilli();
        builder.deck(1_000, 1, DeckDirection.SELL, "EUR");
        for (int v = 0; v < data.vendors; v++) {
            builder.deck(v, 100 + v, DeckDirection.BUY, "EUR");
            builder.vendor(new Vendor(100 + v, "vendor" + v, true, (long) v));
            builder.gateway(new Gateway(500 + v, 100 + v, "gw" + v, "192.0.2." + v, 5060, "udp", "", 100, 100, true));
        }
        for (int i = 0; i < data.size(); i++) {
            builder.rate(data.deck[i], data.prefix[i], "", data.rateMicros[i], 0, 60, 60, from, RouteTable.OPEN_ENDED, false);
        }
        for (String code : data.worldCodes) {
            builder.rate(1_000, code, "", 600_000, 0, 60, 60, from, RouteTable.OPEN_ENDED, false);
        }
        List<RoutingRule> rules = new ArrayList<>();
        for (int v = 0; v < routedVendors; v++) {
            rules.add(new RoutingRule(v + 1, "", 100 + v, null, 100, 100, null, true));
        }
        builder.profile(new RoutingProfile(1, "lcr", Strategy.LCR, 0, BigDecimal.ZERO, false, 5, rules));
        builder.trunk(new Trunk(1, 1, "bench", true, NumberNormalizer.NONE, 1_000L, 1L));
        return builder.build();
    }

    private String nextNumber() {
        next = (next + 1) & (numbers.length - 1);
        return numbers[next];
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int trieLongestMatch() {
        return trie.longestMatch(nextNumber());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Optional<io.tandem.routing.Rate> rateOfOneDeck() {
        return table.rateAt(next % VENDORS, nextNumber(), NOW);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public RouteResult routeLcr() {
        return table.route(1, nextNumber(), "", NOW, options);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 2)
    @Measurement(iterations = 5)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public RouteTable buildOneMillionRates() {
        return build(data, routedVendors);
    }
}
