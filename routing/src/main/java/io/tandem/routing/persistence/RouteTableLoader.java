package io.tandem.routing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.BLOCKED_DESTINATION;
import static io.tandem.db.jooq.Tables.INGRESS_TRUNK;
import static io.tandem.db.jooq.Tables.RATE_DECK;
import static io.tandem.db.jooq.Tables.ROUTING_PROFILE;
import static io.tandem.db.jooq.Tables.ROUTING_RULE;
import static io.tandem.db.jooq.Tables.VENDOR_GATEWAY;

import io.tandem.db.ConfigVersionStamp;
import io.tandem.routing.BlockedDestination;
import io.tandem.routing.DeckDirection;
import io.tandem.routing.Gateway;
import io.tandem.routing.Micros;
import io.tandem.routing.RouteTable;
import io.tandem.routing.RoutingProfile;
import io.tandem.routing.RoutingRule;
import io.tandem.routing.Strategy;
import io.tandem.routing.Trunk;
import io.tandem.routing.Vendor;
import io.tandem.routing.normalize.NumberNormalizer;
import io.tandem.routing.normalize.TranslationRules;
import io.tandem.routing.reload.RouteTableSource;
import io.tandem.routing.trie.PrefixTrie;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link RouteTable} from the database: every deck's rates that are in force or scheduled
 * (committed imports only), vendors with their buy deck and gateways, routing profiles with their
 * rules, trunks with their normalization, blocked destinations.
 */
public final class RouteTableLoader implements RouteTableSource {

    private static final Logger log = LoggerFactory.getLogger(RouteTableLoader.class);

    private final DSLContext dsl;
    private final Clock clock;

    public RouteTableLoader(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    @Override
    public long currentVersion() {
        return ConfigVersionStamp.current(dsl);
    }

    @Override
    public RouteTable load() {
        // read-only transaction: PostgreSQL streams rows only with auto-commit off
        return dsl.transactionResult(cfg -> load(cfg.dsl()));
    }

    private RouteTable load(DSLContext tx) {
        long version = ConfigVersionStamp.current(tx);
        Instant now = clock.instant();
        RouteTable.Builder builder = RouteTable.builder(version);
        Map<Long, Long> buyDeckOfVendor = new HashMap<>();
        Map<Long, Integer> deckGrace = new HashMap<>();
        for (Record r : tx.select(RATE_DECK.ID, RATE_DECK.ACCOUNT_ID, RATE_DECK.DIRECTION, RATE_DECK.CURRENCY, RATE_DECK.GRACE_SECONDS)
                .from(RATE_DECK).orderBy(RATE_DECK.ID).fetch()) {
            DeckDirection direction = DeckDirection.ofCode(r.get(RATE_DECK.DIRECTION));
            deckGrace.put(r.get(RATE_DECK.ID), r.get(RATE_DECK.GRACE_SECONDS) == null ? 0 : r.get(RATE_DECK.GRACE_SECONDS));
            builder.deck(r.get(RATE_DECK.ID), r.get(RATE_DECK.ACCOUNT_ID), direction, r.get(RATE_DECK.CURRENCY));
            if (direction == DeckDirection.BUY) {
                // a vendor with several buy decks is priced from its oldest one
                buyDeckOfVendor.putIfAbsent(r.get(RATE_DECK.ACCOUNT_ID), r.get(RATE_DECK.ID));
            }
        }
        int[] skipped = new int[1];
        RateScan.scan(tx, VisibleRates.current(now), (id, deckId, prefix, destination, rate, connectFee, initial, next,
                from, until, blocked, grace) -> {
            if (PrefixTrie.isValidPrefix(prefix)) {
                int effectiveGrace = Math.clamp(grace >= 0 ? grace : deckGrace.getOrDefault(deckId, 0), 0, RouteTable.MAX_GRACE_SECONDS);
                builder.rate(deckId, prefix, destination, rate, connectFee, initial, next, from, until, blocked, effectiveGrace);
            } else {
                skipped[0]++;
            }
        });
        for (Record r : tx.select(ACCOUNT.ID, ACCOUNT.NAME, ACCOUNT.STATUS).from(ACCOUNT)
                .where(ACCOUNT.KIND.in("vendor", "both")).fetch()) {
            long id = r.get(ACCOUNT.ID);
            builder.vendor(new Vendor(id, r.get(ACCOUNT.NAME), "active".equals(r.get(ACCOUNT.STATUS)), buyDeckOfVendor.get(id)));
        }
        tx.selectFrom(VENDOR_GATEWAY).fetch().forEach(g -> builder.gateway(new Gateway(g.getId(), g.getAccountId(),
                g.getName(), g.getHost(), g.getPort(), g.getTransport(), g.getTechPrefix(), g.getPriority(), g.getWeight(),
                g.getEnabled(), g.getMaxCps(), g.getMaxConcurrentCalls(), Gateway.parseFailoverCodes(g.getFailoverCodes()),
                g.getDnsLookup(), g.getRegisteredTrunkId(), g.getMediaMode())));
        Map<Long, List<RoutingRule>> rules = new HashMap<>();
        tx.selectFrom(ROUTING_RULE).fetch().stream().filter(r -> PrefixTrie.isValidPrefix(r.getPrefix())).forEach(r -> rules.computeIfAbsent(r.getProfileId(), k -> new ArrayList<>())
                .add(new RoutingRule(r.getId(), r.getPrefix(), r.getVendorAccountId(), r.getVendorGatewayId(), r.getPriority(),
                        r.getWeight(), r.getRateCeiling() == null ? null : Micros.of(r.getRateCeiling()), r.getEnabled())));
        tx.selectFrom(ROUTING_PROFILE).fetch().forEach(p -> builder.profile(new RoutingProfile(p.getId(), p.getName(),
                Strategy.ofCode(p.getStrategy()), Micros.of(p.getMinMargin()),
                p.getMinMarginPercent() == null ? BigDecimal.ZERO : p.getMinMarginPercent(), p.getAllowLoss(),
                p.getMaxAttempts(), rules.getOrDefault(p.getId(), List.of()))));
        tx.selectFrom(INGRESS_TRUNK).fetch().forEach(t -> {
            boolean enabled = t.getEnabled();
            NumberNormalizer normalizer;
            try {
                normalizer = new NumberNormalizer(t.getTechPrefix(), TranslationRules.parse(t.getCalleeTranslations()),
                        TranslationRules.parse(t.getCallerTranslations()));
            } catch (IllegalArgumentException e) {
                // routing with half the rules would send calls to the wrong place; refuse them instead
                log.error("Trunk {} ({}) has invalid translation rules and takes no calls: {}", t.getId(), t.getName(), e.getMessage());
                normalizer = NumberNormalizer.NONE;
                enabled = false;
            }
            builder.trunk(new Trunk(t.getId(), t.getAccountId(), t.getName(), enabled, normalizer, t.getSellDeckId(),
                    t.getRoutingProfileId()));
        });
        tx.selectFrom(BLOCKED_DESTINATION).fetch().stream().filter(b -> PrefixTrie.isValidPrefix(b.getPrefix())).forEach(b -> builder.blocked(
                new BlockedDestination(b.getAccountId(), b.getPrefix(), b.getReason())));
        if (skipped[0] > 0) {
            // rows written around the import path; routing cannot match them, so say so once per load
            log.warn("Route table version {}: {} rate rows with a prefix that is not digits were left out", version, skipped[0]);
        }
        return builder.build();
    }
}
