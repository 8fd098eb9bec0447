package io.tandem.console.demo.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.CONFIG_VERSION;
import static io.tandem.db.jooq.Tables.INGRESS_TRUNK;
import static io.tandem.db.jooq.Tables.LEDGER_ENTRY;
import static io.tandem.db.jooq.Tables.RATE;
import static io.tandem.db.jooq.Tables.RATE_DECK;
import static io.tandem.db.jooq.Tables.ROUTING_PROFILE;
import static io.tandem.db.jooq.Tables.ROUTING_RULE;
import static io.tandem.db.jooq.Tables.VENDOR_GATEWAY;

import io.tandem.db.ConfigVersionStamp;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jooq.DSLContext;

/**
 * Seeds a database that has no accounts with a small working setup: one customer with an IP
 * trunk for 127.0.0.1, two vendors with gateways on 127.0.0.1:5090 and :5091, and sell/buy decks
 * for the prefixes 44 and 1. Nodes starting together serialise on the config-version row, so
 * the demo is seeded once.
 */
public class DemoDataSeeder {

    private final DSLContext dsl;
    private final Clock clock;

    public DemoDataSeeder(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** @return true if the demo was seeded now, false if the database already had accounts */
    public boolean seedIfEmpty() {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.selectFrom(CONFIG_VERSION).where(CONFIG_VERSION.ID.eq(1)).forUpdate().fetch();
            if (tx.fetchExists(ACCOUNT)) {
                return false;
            }
            Instant now = clock.instant();
            Instant since = now.truncatedTo(ChronoUnit.DAYS);
            long customer = account(tx, "Demo Customer", "customer", "100.000000", now);
            long vendorA = account(tx, "Vendor A", "vendor", "0", now);
            long vendorB = account(tx, "Vendor B", "vendor", "0", now);

            long profile = tx.insertInto(ROUTING_PROFILE)
                    .set(ROUTING_PROFILE.NAME, "Default LCR")
                    .set(ROUTING_PROFILE.STRATEGY, "lcr")
                    .set(ROUTING_PROFILE.MIN_MARGIN, BigDecimal.ZERO)
                    .set(ROUTING_PROFILE.MIN_MARGIN_PERCENT, BigDecimal.ZERO)
                    .set(ROUTING_PROFILE.ALLOW_LOSS, false)
                    .set(ROUTING_PROFILE.MAX_ATTEMPTS, 3)
                    .set(ROUTING_PROFILE.CREATED_AT, now)
                    .set(ROUTING_PROFILE.UPDATED_AT, now)
                    .returningResult(ROUTING_PROFILE.ID).fetchSingle(ROUTING_PROFILE.ID);

            long sellDeck = deck(tx, customer, "Demo Customer sell", "sell", now);
            rate(tx, sellDeck, "44", "United Kingdom", "0.020000", since);
            rate(tx, sellDeck, "1", "USA/Canada", "0.010000", since);
            long buyA = deck(tx, vendorA, "Vendor A buy", "buy", now);
            rate(tx, buyA, "44", "United Kingdom", "0.012000", since);
            rate(tx, buyA, "1", "USA/Canada", "0.006000", since);
            long buyB = deck(tx, vendorB, "Vendor B buy", "buy", now);
            rate(tx, buyB, "44", "United Kingdom", "0.014000", since);
            rate(tx, buyB, "1", "USA/Canada", "0.007000", since);

            long gatewayA = gateway(tx, vendorA, "vendor-a-gw1", 5090, now);
            long gatewayB = gateway(tx, vendorB, "vendor-b-gw1", 5091, now);
            rule(tx, profile, vendorA, gatewayA, 10, now);
            rule(tx, profile, vendorB, gatewayB, 20, now);

            tx.insertInto(INGRESS_TRUNK)
                    .set(INGRESS_TRUNK.ACCOUNT_ID, customer)
                    .set(INGRESS_TRUNK.NAME, "demo-trunk")
                    .set(INGRESS_TRUNK.SOURCE_CIDRS, "127.0.0.1/32")
                    .set(INGRESS_TRUNK.TECH_PREFIX, "")
                    .set(INGRESS_TRUNK.CALLEE_TRANSLATIONS, "[{\"match\":\"^\\\\+\",\"replace\":\"\"},{\"match\":\"^00\",\"replace\":\"\"}]")
                    .set(INGRESS_TRUNK.CALLER_TRANSLATIONS, "[]")
                    .set(INGRESS_TRUNK.ROUTING_PROFILE_ID, profile)
                    .set(INGRESS_TRUNK.SELL_DECK_ID, sellDeck)
                    .set(INGRESS_TRUNK.MEDIA_MODE, "bypass")
                    .set(INGRESS_TRUNK.ENABLED, true)
                    .set(INGRESS_TRUNK.CREATED_AT, now)
                    .set(INGRESS_TRUNK.UPDATED_AT, now)
                    .execute();
            ConfigVersionStamp.bump(tx, now);
            return true;
        });
    }

    private static long account(DSLContext tx, String name, String kind, String balance, Instant now) {
        BigDecimal opening = new BigDecimal(balance);
        long id = tx.insertInto(ACCOUNT)
                .set(ACCOUNT.NAME, name)
                .set(ACCOUNT.KIND, kind)
                .set(ACCOUNT.CURRENCY, "USD")
                .set(ACCOUNT.BALANCE, opening)
                .set(ACCOUNT.CREATED_AT, now)
                .set(ACCOUNT.UPDATED_AT, now)
                .returningResult(ACCOUNT.ID).fetchSingle(ACCOUNT.ID);
        if (opening.signum() != 0) {
            tx.insertInto(LEDGER_ENTRY)
                    .set(LEDGER_ENTRY.ACCOUNT_ID, id)
                    .set(LEDGER_ENTRY.KIND, "opening")
                    .set(LEDGER_ENTRY.AMOUNT, opening)
                    .set(LEDGER_ENTRY.BALANCE_AFTER, opening)
                    .set(LEDGER_ENTRY.REFERENCE, "demo opening balance")
                    .set(LEDGER_ENTRY.CREATED_BY, "demo")
                    .set(LEDGER_ENTRY.CREATED_AT, now)
                    .execute();
        }
        return id;
    }

    private static long deck(DSLContext tx, long account, String name, String direction, Instant now) {
        return tx.insertInto(RATE_DECK)
                .set(RATE_DECK.ACCOUNT_ID, account)
                .set(RATE_DECK.NAME, name)
                .set(RATE_DECK.DIRECTION, direction)
                .set(RATE_DECK.CURRENCY, "USD")
                .set(RATE_DECK.CREATED_AT, now)
                .set(RATE_DECK.UPDATED_AT, now)
                .returningResult(RATE_DECK.ID).fetchSingle(RATE_DECK.ID);
    }

    private static void rate(DSLContext tx, long deck, String prefix, String destination, String perMinute, Instant since) {
        tx.insertInto(RATE)
                .set(RATE.DECK_ID, deck)
                .set(RATE.PREFIX, prefix)
                .set(RATE.DESTINATION, destination)
                .set(RATE.RATE_PER_MINUTE, new BigDecimal(perMinute))
                .set(RATE.CONNECT_FEE, BigDecimal.ZERO)
                .set(RATE.INITIAL_INCREMENT, 1)
                .set(RATE.NEXT_INCREMENT, 1)
                .set(RATE.EFFECTIVE_FROM, since)
                .execute();
    }

    private static long gateway(DSLContext tx, long account, String name, int port, Instant now) {
        return tx.insertInto(VENDOR_GATEWAY)
                .set(VENDOR_GATEWAY.ACCOUNT_ID, account)
                .set(VENDOR_GATEWAY.NAME, name)
                .set(VENDOR_GATEWAY.HOST, "127.0.0.1")
                .set(VENDOR_GATEWAY.PORT, port)
                .set(VENDOR_GATEWAY.TRANSPORT, "udp")
                .set(VENDOR_GATEWAY.CREATED_AT, now)
                .set(VENDOR_GATEWAY.UPDATED_AT, now)
                .returningResult(VENDOR_GATEWAY.ID).fetchSingle(VENDOR_GATEWAY.ID);
    }

    private static void rule(DSLContext tx, long profile, long vendor, long gateway, int priority, Instant now) {
        tx.insertInto(ROUTING_RULE)
                .set(ROUTING_RULE.PROFILE_ID, profile)
                .set(ROUTING_RULE.PREFIX, "")
                .set(ROUTING_RULE.VENDOR_ACCOUNT_ID, vendor)
                .set(ROUTING_RULE.VENDOR_GATEWAY_ID, gateway)
                .set(ROUTING_RULE.PRIORITY, priority)
                .set(ROUTING_RULE.CREATED_AT, now)
                .execute();
    }
}
