package io.tandem.routing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.INGRESS_TRUNK;
import static io.tandem.db.jooq.Tables.ROUTING_PROFILE;
import static io.tandem.db.jooq.Tables.VENDOR_GATEWAY;

import io.tandem.db.jooq.tables.records.AccountRecord;
import io.tandem.db.jooq.tables.records.IngressTrunkRecord;
import io.tandem.db.jooq.tables.records.RoutingProfileRecord;
import io.tandem.db.jooq.tables.records.VendorGatewayRecord;
import io.tandem.routing.DeckDirection;
import io.tandem.routing.RoutingRuleSpec;
import io.tandem.routing.deck.RateDeckSpec;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import org.jooq.DSLContext;

/**
 * A small carrier in a real database: customer "acme" on trunk "acme-in" (tech prefix 99#, national
 * 0 to 44) with an EUR sell deck, vendors "north" and "south" with buy decks and one gateway each,
 * and an LCR profile listing both. The provisioning tables are written directly, as the lead's
 * provisioning API would.
 */
final class RoutingWorld {

    final long customer;
    final long north;
    final long south;
    final long sellDeck;
    final long northDeck;
    final long southDeck;
    final long profile;
    final long trunk;

    RoutingWorld(DSLContext dsl, Clock clock) {
        customer = account(dsl, clock, "acme", "customer");
        north = account(dsl, clock, "north", "vendor");
        south = account(dsl, clock, "south", "vendor");
        RateDeckRepository decks = new RateDeckRepository(dsl, clock);
        sellDeck = decks.create(new RateDeckSpec(customer, "acme sell", DeckDirection.SELL, "EUR", 7)).id();
        northDeck = decks.create(new RateDeckSpec(north, "north buy", DeckDirection.BUY, "EUR", 7)).id();
        southDeck = decks.create(new RateDeckSpec(south, "south buy", DeckDirection.BUY, "EUR", 7)).id();
        gateway(dsl, clock, north, "north-gw", "192.0.2.10");
        gateway(dsl, clock, south, "south-gw", "192.0.2.20");
        RoutingProfileRecord p = dsl.newRecord(ROUTING_PROFILE);
        p.setName("wholesale");
        p.setStrategy("lcr");
        p.setMinMargin(BigDecimal.ZERO);
        p.setMinMarginPercent(BigDecimal.ZERO);
        p.setAllowLoss(false);
        p.setMaxAttempts(5);
        p.setCreatedAt(clock.instant());
        p.setUpdatedAt(clock.instant());
        p.store();
        profile = p.getId();
        new RoutingRuleRepository(dsl, clock).replace(profile, List.of(
                new RoutingRuleSpec("", north, null, 100, 100, null, true),
                new RoutingRuleSpec("", south, null, 100, 100, null, true)));
        IngressTrunkRecord t = dsl.newRecord(INGRESS_TRUNK);
        t.setAccountId(customer);
        t.setName("acme-in");
        t.setSourceCidrs("198.51.100.0/24");
        t.setTechPrefix("99#");
        t.setCalleeTranslations("[{\"match\": \"^0([1-9])\", \"replace\": \"44$1\"}]");
        t.setCallerTranslations("[]");
        t.setRoutingProfileId(profile);
        t.setSellDeckId(sellDeck);
        t.setMediaMode("relay");
        t.setEnabled(true);
        t.setCreatedAt(clock.instant());
        t.setUpdatedAt(clock.instant());
        t.store();
        trunk = t.getId();
    }

    private static long account(DSLContext dsl, Clock clock, String name, String kind) {
        AccountRecord a = dsl.newRecord(ACCOUNT);
        a.setName(name);
        a.setKind(kind);
        a.setCurrency("EUR");
        a.setBalance(BigDecimal.ZERO);
        a.setHeld(BigDecimal.ZERO);
        a.setCreditLimit(BigDecimal.ZERO);
        a.setStatus("active");
        a.setSuspendAtZero(false);
        a.setCreatedAt(clock.instant());
        a.setUpdatedAt(clock.instant());
        a.store();
        return a.getId();
    }

    private static void gateway(DSLContext dsl, Clock clock, long account, String name, String host) {
        VendorGatewayRecord g = dsl.newRecord(VENDOR_GATEWAY);
        g.setAccountId(account);
        g.setName(name);
        g.setHost(host);
        g.setPort(5060);
        g.setTransport("udp");
        g.setTechPrefix("");
        g.setPriority(100);
        g.setWeight(100);
        g.setFailoverCodes("408,480,500,502,503,504");
        g.setEnabled(true);
        g.setCreatedAt(clock.instant());
        g.setUpdatedAt(clock.instant());
        g.store();
    }
}
