package io.tandem.routing.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.ROUTING_PROFILE;
import static io.tandem.db.jooq.Tables.ROUTING_RULE;
import static io.tandem.db.jooq.Tables.VENDOR_GATEWAY;

import io.tandem.db.ConfigVersionStamp;
import io.tandem.db.jooq.tables.records.RoutingRuleRecord;
import io.tandem.routing.Micros;
import io.tandem.routing.RoutingRule;
import io.tandem.routing.RoutingRuleSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;

/** The vendor list of a routing profile. Every write bumps the config version in its transaction. */
public final class RoutingRuleRepository {

    private final DSLContext dsl;
    private final Clock clock;

    public RoutingRuleRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    public boolean profileExists(long profileId) {
        return dsl.fetchExists(ROUTING_PROFILE, ROUTING_PROFILE.ID.eq(profileId));
    }

    /** The profile's rules by prefix, priority and id; empty when the profile does not exist. */
    public Optional<List<RoutingRule>> list(long profileId) {
        if (!profileExists(profileId)) {
            return Optional.empty();
        }
        return Optional.of(dsl.selectFrom(ROUTING_RULE).where(ROUTING_RULE.PROFILE_ID.eq(profileId))
                .orderBy(ROUTING_RULE.PREFIX, ROUTING_RULE.PRIORITY, ROUTING_RULE.ID)
                .fetch(RoutingRuleRepository::toRule));
    }

    /** The spec's own checks plus: the vendor is a vendor account, the gateway is the vendor's. Keys are prefixed. */
    public Map<String, String> validate(RoutingRuleSpec spec, String fieldPrefix) {
        Map<String, String> errors = new LinkedHashMap<>();
        spec.validate().forEach((field, message) -> errors.put(fieldPrefix + field, message));
        if (spec.vendorAccountId() != null) {
            String kind = dsl.select(ACCOUNT.KIND).from(ACCOUNT).where(ACCOUNT.ID.eq(spec.vendorAccountId())).fetchOne(ACCOUNT.KIND);
            if (kind == null) {
                errors.put(fieldPrefix + "vendorAccountId", "no account with this id");
            } else if (kind.equals("customer")) {
                errors.put(fieldPrefix + "vendorAccountId", "account " + spec.vendorAccountId() + " is a customer, not a vendor");
            }
        }
        if (spec.vendorGatewayId() != null) {
            Long owner = dsl.select(VENDOR_GATEWAY.ACCOUNT_ID).from(VENDOR_GATEWAY)
                    .where(VENDOR_GATEWAY.ID.eq(spec.vendorGatewayId())).fetchOne(VENDOR_GATEWAY.ACCOUNT_ID);
            if (owner == null) {
                errors.put(fieldPrefix + "vendorGatewayId", "no gateway with this id");
            } else if (!owner.equals(spec.vendorAccountId())) {
                errors.put(fieldPrefix + "vendorGatewayId", "gateway " + spec.vendorGatewayId() + " belongs to another vendor");
            }
        }
        return errors;
    }

    /** Replaces the whole vendor list; empty when the profile does not exist. */
    public Optional<List<RoutingRule>> replace(long profileId, List<RoutingRuleSpec> specs) {
        boolean found = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (tx.selectFrom(ROUTING_PROFILE).where(ROUTING_PROFILE.ID.eq(profileId)).forUpdate().fetchOne() == null) {
                return false;
            }
            Instant now = clock.instant();
            tx.deleteFrom(ROUTING_RULE).where(ROUTING_RULE.PROFILE_ID.eq(profileId)).execute();
            for (RoutingRuleSpec spec : specs) {
                insert(tx, profileId, spec, now);
            }
            ConfigVersionStamp.bump(tx, now);
            return true;
        });
        return found ? list(profileId) : Optional.empty();
    }

    /** Adds one rule; empty when the profile does not exist. */
    public Optional<RoutingRule> add(long profileId, RoutingRuleSpec spec) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (tx.selectFrom(ROUTING_PROFILE).where(ROUTING_PROFILE.ID.eq(profileId)).forUpdate().fetchOne() == null) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            RoutingRule rule = insert(tx, profileId, spec, now);
            ConfigVersionStamp.bump(tx, now);
            return Optional.of(rule);
        });
    }

    /** Removes one rule of the profile; false when there is no such rule. */
    public boolean delete(long profileId, long ruleId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int deleted = tx.deleteFrom(ROUTING_RULE).where(ROUTING_RULE.ID.eq(ruleId)).and(ROUTING_RULE.PROFILE_ID.eq(profileId)).execute();
            if (deleted > 0) {
                ConfigVersionStamp.bump(tx, clock.instant());
            }
            return deleted > 0;
        });
    }

    private static RoutingRule insert(DSLContext tx, long profileId, RoutingRuleSpec spec, Instant now) {
        RoutingRuleRecord row = tx.newRecord(ROUTING_RULE);
        row.setProfileId(profileId);
        row.setPrefix(spec.prefix() == null ? "" : spec.prefix());
        row.setVendorAccountId(spec.vendorAccountId());
        row.setVendorGatewayId(spec.vendorGatewayId());
        row.setPriority(spec.priority() == null ? 100 : spec.priority());
        row.setWeight(spec.weight() == null ? 100 : spec.weight());
        row.setRateCeiling(spec.rateCeiling() == null ? null : Micros.toDecimal(Micros.of(spec.rateCeiling())));
        row.setEnabled(spec.enabled() == null || spec.enabled());
        row.setCreatedAt(now);
        row.store();
        return toRule(row);
    }

    static RoutingRule toRule(RoutingRuleRecord r) {
        return new RoutingRule(r.getId(), r.getPrefix(), r.getVendorAccountId(), r.getVendorGatewayId(), r.getPriority(),
                r.getWeight(), r.getRateCeiling() == null ? null : Micros.of(r.getRateCeiling()), r.getEnabled());
    }
}
