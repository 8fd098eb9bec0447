package io.tandem.routing;

import io.tandem.routing.normalize.NumberNormalizer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Small routing worlds for tests: a customer on trunk 1 with sell deck 100 in EUR, vendors with
 * buy decks 200+n and one gateway each, and a profile whose rules the test lists.
 */
final class TableFixture {

    static final long CUSTOMER = 1;
    static final long TRUNK = 1;
    static final long SELL_DECK = 100;
    static final long PROFILE = 10;
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    final RouteTable.Builder builder;
    final List<RoutingRule> rules = new ArrayList<>();
    private Strategy strategy = Strategy.LCR;
    private long minMarginMicros;
    private BigDecimal minMarginPercent = BigDecimal.ZERO;
    private boolean allowLoss;
    private int maxAttempts = 10;
    private NumberNormalizer normalizer = NumberNormalizer.NONE;
    private long nextRuleId = 1;

    TableFixture() {
        builder = RouteTable.builder(7).deck(SELL_DECK, CUSTOMER, DeckDirection.SELL, "EUR");
    }

    static long micros(String amount) {
        return Micros.of(new BigDecimal(amount));
    }

    TableFixture sell(String prefix, String rate) {
        builder.rate(SELL_DECK, prefix, "dest " + prefix, micros(rate), 0, 60, 60, T0.toEpochMilli(), RouteTable.OPEN_ENDED, false);
        return this;
    }

    /** Declares vendor {@code n} (account 1000+n, deck 200+n, gateway 300+n) without rules. */
    TableFixture vendor(int n, String currency) {
        long account = 1000 + n;
        builder.deck(200 + n, account, DeckDirection.BUY, currency);
        builder.vendor(new Vendor(account, "vendor" + n, true, 200L + n));
        builder.gateway(new Gateway(300 + n, account, "gw" + n, "10.0.0." + n, 5060, "udp", "", 100, 100, true));
        return this;
    }

    TableFixture vendor(int n) {
        return vendor(n, "EUR");
    }

    TableFixture buy(int n, String prefix, String rate) {
        builder.rate(200 + n, prefix, "dest " + prefix, micros(rate), 0, 60, 60, T0.toEpochMilli(), RouteTable.OPEN_ENDED, false);
        return this;
    }

    TableFixture rule(String prefix, int vendor, int priority, int weight) {
        rules.add(new RoutingRule(nextRuleId++, prefix, 1000 + vendor, null, priority, weight, null, true));
        return this;
    }

    TableFixture rule(RoutingRule rule) {
        rules.add(rule);
        return this;
    }

    TableFixture strategy(Strategy value) {
        strategy = value;
        return this;
    }

    TableFixture minMargin(String micros, String percent) {
        minMarginMicros = micros(micros);
        minMarginPercent = new BigDecimal(percent);
        return this;
    }

    TableFixture allowLoss() {
        allowLoss = true;
        return this;
    }

    TableFixture maxAttempts(int value) {
        maxAttempts = value;
        return this;
    }

    TableFixture normalizer(NumberNormalizer value) {
        normalizer = value;
        return this;
    }

    RouteTable build() {
        builder.profile(new RoutingProfile(PROFILE, "wholesale", strategy, minMarginMicros, minMarginPercent, allowLoss,
                maxAttempts, rules));
        builder.trunk(new Trunk(TRUNK, CUSTOMER, "acme-in", true, normalizer, SELL_DECK, PROFILE));
        return builder.build();
    }
}
