package io.tandem.routing;

import static io.tandem.routing.TableFixture.T0;
import static io.tandem.routing.TableFixture.TRUNK;
import static io.tandem.routing.TableFixture.micros;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.routing.normalize.NumberNormalizer;
import io.tandem.routing.normalize.TranslationRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final Instant NOW = T0.plus(Duration.ofDays(1));

    private static RouteDecision decision(RouteResult result) {
        assertThat(result).as("%s", result).isInstanceOf(RouteDecision.class);
        return (RouteDecision) result;
    }

    private static NoRoute noRoute(RouteResult result) {
        assertThat(result).as("%s", result).isInstanceOf(NoRoute.class);
        return (NoRoute) result;
    }

    private static List<String> vendorNames(RouteResult result) {
        return decision(result).candidates().stream().map(VendorCandidate::vendorName).toList();
    }

    @Test
    void pricesTheCallFromTheLongestSellPrefixAndListsVendorsCheapestFirst() {
        RouteTable table = new TableFixture().sell("44", "0.020000").sell("447", "0.080000")
                .vendor(1).buy(1, "447", "0.050000")
                .vendor(2).buy(2, "44", "0.010000").buy(2, "447", "0.040000")
                .rule("", 1, 100, 100).rule("", 2, 100, 100).build();

        RouteDecision decision = decision(table.route(TRUNK, "447700900123", "4420", NOW));

        assertThat(decision.sellRate().prefix()).isEqualTo("447");
        assertThat(decision.sellRate().ratePerMinute()).isEqualByComparingTo("0.08");
        assertThat(decision.currency()).isEqualTo("EUR");
        assertThat(decision.candidates()).extracting(VendorCandidate::vendorName, c -> c.buyRate().prefix(),
                        c -> c.margin().toPlainString(), c -> c.gateway().host())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("vendor2", "447", "0.040000", "10.0.0.2"),
                        org.assertj.core.groups.Tuple.tuple("vendor1", "447", "0.030000", "10.0.0.1"));
        assertThat(decision.skipped()).isEmpty();
    }

    @Test
    void scheduledRateTakesEffectAtItsInstantWithoutReload() {
        Instant change = Instant.parse("2026-12-01T00:00:00Z");
        TableFixture fixture = new TableFixture().vendor(1).buy(1, "44", "0.001000").rule("", 1, 100, 100);
        fixture.builder.rate(TableFixture.SELL_DECK, "44", "UK", micros("0.010000"), 0, 60, 60, T0.toEpochMilli(),
                change.toEpochMilli(), false);
        fixture.builder.rate(TableFixture.SELL_DECK, "44", "UK", micros("0.015000"), 0, 1, 1, change.toEpochMilli(),
                RouteTable.OPEN_ENDED, false);
        RouteTable table = fixture.build();

        Rate before = decision(table.route(TRUNK, "44123", "", change.minusMillis(1))).sellRate();
        Rate after = decision(table.route(TRUNK, "44123", "", change)).sellRate();

        assertThat(before.ratePerMinute()).isEqualByComparingTo("0.010000");
        assertThat(before.effectiveUntil()).isEqualTo(change);
        assertThat(after.ratePerMinute()).isEqualByComparingTo("0.015000");
        assertThat(after.increments()).isEqualTo("1/1");
        assertThat(after.effectiveUntil()).isNull();
    }

    @Test
    void closedCodeFallsBackToItsShorterParent() {
        TableFixture fixture = new TableFixture().sell("44", "0.010000").vendor(1).buy(1, "44", "0.001000")
                .rule("", 1, 100, 100);
        Instant closed = NOW.minusSeconds(60);
        fixture.builder.rate(TableFixture.SELL_DECK, "447", "UK mobile", micros("0.090000"), 0, 60, 60,
                T0.toEpochMilli(), closed.toEpochMilli(), false);
        RouteTable table = fixture.build();

        assertThat(decision(table.route(TRUNK, "447700", "", closed.minusSeconds(1))).sellRate().prefix()).isEqualTo("447");
        assertThat(decision(table.route(TRUNK, "447700", "", NOW)).sellRate().prefix()).isEqualTo("44");
    }

    @Test
    void everySkippedVendorSaysWhy() {
        TableFixture fixture = new TableFixture().sell("1", "0.010000")
                .vendor(1).buy(1, "1", "0.005000")                       // fine
                .vendor(2)                                                // no rate
                .vendor(3).buy(3, "1", "0.012000")                       // dearer than sell
                .vendor(4).buy(4, "1", "0.009000")                       // under ceiling? no: ceiling 0.008
                .vendor(5, "USD").buy(5, "1", "0.001000")                // currency
                .vendor(6).buy(6, "1", "0.002000")                       // rule disabled
                .vendor(7);
        fixture.builder.rate(207, "1", "US", micros("0.001"), 0, 60, 60, T0.toEpochMilli(), RouteTable.OPEN_ENDED, true);
        fixture.builder.vendor(new Vendor(1008, "vendor8", false, null));
        fixture.vendor(9).buy(9, "1", "0.003000");
        fixture.builder.gateway(new Gateway(309, 1009, "gw9", "10.0.0.9", 5060, "udp", "", 100, 100, false));
        fixture.rule("", 1, 100, 100).rule("", 2, 100, 100).rule("", 3, 100, 100)
                .rule(new RoutingRule(40, "", 1004, null, 100, 100, micros("0.008000"), true))
                .rule("", 5, 100, 100)
                .rule(new RoutingRule(60, "", 1006, null, 100, 100, null, false))
                .rule("", 7, 100, 100).rule("", 8, 100, 100).rule("", 9, 100, 100);
        RouteTable table = fixture.build();

        RouteResult result = table.explain(TRUNK, "15551234", "", NOW);

        assertThat(vendorNames(result)).containsExactly("vendor1");
        assertThat(result.skipped()).extracting(SkippedVendor::vendorName, SkippedVendor::reason).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("vendor2", SkipReason.NO_RATE),
                org.assertj.core.groups.Tuple.tuple("vendor3", SkipReason.ABOVE_SELL_RATE),
                org.assertj.core.groups.Tuple.tuple("vendor4", SkipReason.ABOVE_RATE_CEILING),
                org.assertj.core.groups.Tuple.tuple("vendor5", SkipReason.CURRENCY_MISMATCH),
                org.assertj.core.groups.Tuple.tuple("vendor6", SkipReason.DISABLED),
                org.assertj.core.groups.Tuple.tuple("vendor7", SkipReason.BLOCKED),
                org.assertj.core.groups.Tuple.tuple("vendor8", SkipReason.DISABLED),
                org.assertj.core.groups.Tuple.tuple("vendor9", SkipReason.DISABLED),
                org.assertj.core.groups.Tuple.tuple("vendor9", SkipReason.NO_GATEWAY));
        assertThat(result.trace()).anySatisfy(line -> assertThat(line).contains("vendor3").contains("ABOVE_SELL_RATE")
                .contains("0.012000").contains("0.010000"));
    }

    @Test
    void aRegisteredContactGatewayIsOfferedOnlyWhileItsTrunkIsRegistered() {
        RouteTable onlyThePbx = pbxFixture().build();
        RouteTable withFallback = pbxFixture().rule("", 1, 100, 100).build();

        RouteDecision registered = decision(onlyThePbx.route(TRUNK, "15551234", "", NOW,
                RouteOptions.DEFAULT.withRegistered(trunk -> trunk == 2)));
        assertThat(registered.candidates()).extracting(c -> c.gateway().name()).containsExactly("pbx-registered");
        assertThat(registered.candidates().getFirst().gateway().registeredTrunkId()).isEqualTo(2L);

        NoRoute absent = noRoute(onlyThePbx.explain(TRUNK, "15551234", "", NOW, RegisteredContacts.NONE));
        assertThat(absent.reason()).isEqualTo(NoRouteReason.NOT_REGISTERED);
        assertThat(absent.skipped()).extracting(SkippedVendor::vendorName, SkippedVendor::reason, SkippedVendor::gatewayId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pbx-owner", SkipReason.NOT_REGISTERED, 303L));
        assertThat(absent.trace()).anySatisfy(line -> assertThat(line).contains("NOT_REGISTERED")
                .contains("registered contact of trunk pbx-trunk, which has none now"));

        RouteResult fallback = withFallback.route(TRUNK, "15551234", "", NOW, RouteOptions.DEFAULT);
        assertThat(vendorNames(fallback)).containsExactly("vendor1");
        assertThat(fallback.skipped()).extracting(SkippedVendor::reason).containsExactly(SkipReason.NOT_REGISTERED);
    }

    /** Vendor 1 at an address; account 1003 also a customer (kind both) reached where its trunk 2 registered from. */
    private static TableFixture pbxFixture() {
        TableFixture fixture = new TableFixture().sell("1", "0.010000").vendor(1).buy(1, "1", "0.008000");
        fixture.builder.deck(203, 1003, DeckDirection.BUY, "EUR").vendor(new Vendor(1003, "pbx-owner", true, 203L))
                .gateway(new Gateway(303, 1003, "pbx-registered", "pbx-trunk", 5060, "udp", "", 100, 100, true, null, null, null,
                        null, 2L, null))
                .trunk(new Trunk(2, 1003, "pbx-trunk", true, NumberNormalizer.NONE, null, null));
        return fixture.buy(3, "1", "0.002000").rule("", 3, 100, 100);
    }

    @Test
    void minimumMarginSkipsThinVendorsUnlessTheProfileAllowsALoss() {
        TableFixture thin = new TableFixture().sell("1", "0.010000")
                .vendor(1).buy(1, "1", "0.009500")   // margin 0.0005
                .vendor(2).buy(2, "1", "0.008500")   // margin 0.0015 = 15 %
                .vendor(3).buy(3, "1", "0.011000")   // loss
                .rule("", 1, 100, 100).rule("", 2, 100, 100).rule("", 3, 100, 100);
        RouteResult absolute = thin.minMargin("0.001000", "0").build().route(TRUNK, "1555", "", NOW);
        assertThat(vendorNames(absolute)).containsExactly("vendor2");
        assertThat(absolute.skipped()).filteredOn(s -> s.reason() == SkipReason.BELOW_MIN_MARGIN)
                .extracting(SkippedVendor::vendorName).containsExactly("vendor1");

        RouteResult percent = copy(thin).minMargin("0", "20").build().route(TRUNK, "1555", "", NOW);
        assertThat(percent).isInstanceOf(NoRoute.class);
        assertThat(percent.skipped()).extracting(SkippedVendor::reason)
                .containsExactlyInAnyOrder(SkipReason.BELOW_MIN_MARGIN, SkipReason.BELOW_MIN_MARGIN, SkipReason.ABOVE_SELL_RATE);

        RouteDecision loss = decision(copy(thin).minMargin("0.001000", "20").allowLoss().build().route(TRUNK, "1555", "", NOW));
        assertThat(loss.candidates()).extracting(VendorCandidate::vendorName).containsExactly("vendor2", "vendor1", "vendor3");
        assertThat(loss.candidates().get(2).margin()).isEqualByComparingTo("-0.001000");
    }

    private static TableFixture copy(TableFixture source) {
        TableFixture fresh = new TableFixture().sell("1", "0.010000")
                .vendor(1).buy(1, "1", "0.009500").vendor(2).buy(2, "1", "0.008500").vendor(3).buy(3, "1", "0.011000");
        fresh.rules.addAll(source.rules);
        return fresh;
    }

    @Test
    void priorityStrategyKeepsTheConfiguredOrderWhateverThePrice() {
        RouteTable table = new TableFixture().strategy(Strategy.PRIORITY).sell("1", "0.010000")
                .vendor(1).buy(1, "1", "0.001000").vendor(2).buy(2, "1", "0.009000").vendor(3).buy(3, "1", "0.005000")
                .rule("", 1, 30, 100).rule("", 2, 10, 100).rule("", 3, 20, 100).build();

        assertThat(vendorNames(table.route(TRUNK, "1555", "", NOW))).containsExactly("vendor2", "vendor3", "vendor1");
    }

    @Test
    void qualityStrategyOrdersByTheLiveScoreAndFallsBackToPrice() {
        RouteTable table = new TableFixture().strategy(Strategy.QUALITY).sell("1", "0.010000")
                .vendor(1).buy(1, "1", "0.001000").vendor(2).buy(2, "1", "0.009000").vendor(3).buy(3, "1", "0.005000")
                .rule("", 1, 100, 100).rule("", 2, 100, 100).rule("", 3, 100, 100).build();
        VendorQuality scores = (vendor, gateway, prefix) -> vendor == 1002 ? 0.9 : 0.5;

        assertThat(vendorNames(table.route(TRUNK, "1555", "", NOW, RouteOptions.DEFAULT.withQuality(scores))))
                .containsExactly("vendor2", "vendor1", "vendor3");
        assertThat(vendorNames(table.route(TRUNK, "1555", "", NOW))).containsExactly("vendor1", "vendor3", "vendor2");
    }

    @Test
    void theMostSpecificRulePrefixChoosesTheVendorList() {
        RouteTable table = new TableFixture().sell("4", "0.100000")
                .vendor(1).buy(1, "4", "0.001000").vendor(2).buy(2, "4", "0.002000")
                .rule("", 1, 100, 100).rule("44", 2, 100, 100).build();

        assertThat(vendorNames(table.route(TRUNK, "447700", "", NOW))).containsExactly("vendor2");
        assertThat(vendorNames(table.route(TRUNK, "497700", "", NOW))).containsExactly("vendor1");
    }

    @Test
    void maxAttemptsCapsTheGatewaysTriedAndReportsTheRest() {
        TableFixture fixture = new TableFixture().maxAttempts(2).sell("1", "0.010000")
                .vendor(1).buy(1, "1", "0.001000").vendor(2).buy(2, "1", "0.002000")
                .rule("", 1, 100, 100).rule("", 2, 100, 100);
        fixture.builder.gateway(new Gateway(399, 1001, "gw1b", "10.0.1.1", 5060, "tcp", "", 200, 100, true));
        RouteResult result = fixture.build().route(TRUNK, "1555", "", NOW);

        assertThat(decision(result).candidates()).extracting(c -> c.gateway().name()).containsExactly("gw1", "gw1b");
        assertThat(result.skipped()).extracting(SkippedVendor::vendorName, SkippedVendor::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("vendor2", SkipReason.OVER_MAX_ATTEMPTS));
    }

    @Test
    void blockedDestinationsAndBlockedSellRatesRefuseTheCall() {
        TableFixture fixture = new TableFixture().sell("44", "0.010000").vendor(1).buy(1, "44", "0.001000")
                .rule("", 1, 100, 100);
        fixture.builder.blocked(new BlockedDestination(TableFixture.CUSTOMER, "449", "premium rate"));
        fixture.builder.rate(TableFixture.SELL_DECK, "4487", "UK personal", 0, 0, 60, 60, T0.toEpochMilli(),
                RouteTable.OPEN_ENDED, true);
        RouteTable table = fixture.build();

        NoRoute premium = noRoute(table.route(TRUNK, "449012345", "", NOW));
        assertThat(premium.reason()).isEqualTo(NoRouteReason.BLOCKED_DESTINATION);
        assertThat(premium.detail()).contains("449").contains("premium rate");
        assertThat(noRoute(table.route(TRUNK, "44871234", "", NOW)).reason()).isEqualTo(NoRouteReason.BLOCKED_DESTINATION);
        assertThat(table.route(TRUNK, "4420", "", NOW)).isInstanceOf(RouteDecision.class);
    }

    @Test
    void noRouteSaysWhy() {
        NumberNormalizer techPrefix = new NumberNormalizer("7788#", List.of(), List.of());
        RouteTable table = new TableFixture().normalizer(techPrefix).sell("44", "0.010000")
                .vendor(1).buy(1, "44", "0.020000").rule("", 1, 100, 100).build();

        assertThat(noRoute(table.route(99, "7788#44", "", NOW)).reason()).isEqualTo(NoRouteReason.UNKNOWN_TRUNK);
        assertThat(noRoute(table.route(TRUNK, "44123", "", NOW)).reason()).isEqualTo(NoRouteReason.MISSING_TECH_PREFIX);
        assertThat(noRoute(table.route(TRUNK, "7788#44*1", "", NOW)).reason()).isEqualTo(NoRouteReason.INVALID_NUMBER);
        assertThat(noRoute(table.route(TRUNK, "7788#33123", "", NOW)).reason()).isEqualTo(NoRouteReason.NO_SELL_RATE);
        NoRoute noVendor = noRoute(table.route(TRUNK, "7788#44123", "", NOW));
        assertThat(noVendor.reason()).isEqualTo(NoRouteReason.NO_VENDOR);
        assertThat(noVendor.sellRate().prefix()).isEqualTo("44");
        assertThat(noVendor.skipped()).extracting(SkippedVendor::reason).containsExactly(SkipReason.ABOVE_SELL_RATE);
        assertThat(noRoute(table.route(TRUNK, "7788#44123", "", T0.minusSeconds(1))).reason())
                .as("before the deck starts").isEqualTo(NoRouteReason.NO_SELL_RATE);

        RouteTable.Builder bare = RouteTable.builder(1).deck(5, 1, DeckDirection.SELL, "EUR")
                .rate(5, "44", "UK", 10, 0, 60, 60, 0, RouteTable.OPEN_ENDED, false)
                .trunk(new Trunk(1, 1, "off", false, NumberNormalizer.NONE, 5L, null))
                .trunk(new Trunk(2, 1, "no-profile", true, NumberNormalizer.NONE, 5L, null))
                .trunk(new Trunk(3, 1, "no-deck", true, NumberNormalizer.NONE, null, null));
        RouteTable t = bare.build();
        assertThat(noRoute(t.route(1, "44", "", NOW)).reason()).isEqualTo(NoRouteReason.TRUNK_DISABLED);
        assertThat(noRoute(t.route(2, "44", "", NOW)).reason()).isEqualTo(NoRouteReason.NO_ROUTING_PROFILE);
        assertThat(noRoute(t.route(3, "44", "", NOW)).reason()).isEqualTo(NoRouteReason.NO_SELL_RATE);
    }

    @Test
    void trunkNormalizationRunsBeforeRouting() {
        NumberNormalizer normalizer = new NumberNormalizer("9#", List.of(
                TranslationRule.of("^00", ""), TranslationRule.of("^\\+", ""), TranslationRule.of("^0([1-9])", "44$1")),
                List.of(TranslationRule.of("^0([1-9])", "44$1")));
        RouteTable table = new TableFixture().normalizer(normalizer).sell("44", "0.010000")
                .vendor(1).buy(1, "44", "0.001000").rule("", 1, 100, 100).build();

        RouteResult international = table.explain(TRUNK, "9#004420123", "02079460000", NOW);
        RouteResult national = table.route(TRUNK, "9#020123", "", NOW);

        assertThat(international.callee()).isEqualTo("4420123");
        assertThat(international.caller()).isEqualTo("442079460000");
        assertThat(national.callee()).isEqualTo("4420123");
        assertThat(table.route(TRUNK, "9#+4420123", "", NOW).callee()).isEqualTo("4420123");
        assertThat(international.trace()).contains("stripped tech prefix 9#: 004420123");
    }
}
