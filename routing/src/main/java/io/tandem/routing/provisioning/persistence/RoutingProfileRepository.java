package io.tandem.routing.provisioning.persistence;

import static io.tandem.db.jooq.Tables.ROUTING_PROFILE;

import io.tandem.db.ConfigVersionStamp;
import io.tandem.db.jooq.tables.records.RoutingProfileRecord;
import io.tandem.routing.provisioning.ProvisionedRoutingProfile;
import io.tandem.routing.provisioning.RoutingProfileSpec;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** Routing profiles (their vendor rules live in routing_rule). Every write bumps the config version. */
public final class RoutingProfileRepository {

    private final DSLContext dsl;
    private final Clock clock;

    public RoutingProfileRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    public ProvisionedRoutingProfile create(RoutingProfileSpec spec) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Instant now = clock.instant();
            RoutingProfileRecord row = tx.newRecord(ROUTING_PROFILE);
            apply(spec, row);
            row.setCreatedAt(now);
            row.setUpdatedAt(now);
            row.store();
            ConfigVersionStamp.bump(tx, now);
            return toProfile(row);
        });
    }

    public Optional<ProvisionedRoutingProfile> update(long id, RoutingProfileSpec spec) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            RoutingProfileRecord row = tx.selectFrom(ROUTING_PROFILE).where(ROUTING_PROFILE.ID.eq(id)).forUpdate().fetchOne();
            if (row == null) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            apply(spec, row);
            row.setUpdatedAt(now);
            row.update();
            ConfigVersionStamp.bump(tx, now);
            return Optional.of(toProfile(row));
        });
    }

    public Optional<ProvisionedRoutingProfile> find(long id) {
        return dsl.selectFrom(ROUTING_PROFILE).where(ROUTING_PROFILE.ID.eq(id)).fetchOptional().map(RoutingProfileRepository::toProfile);
    }

    public List<ProvisionedRoutingProfile> list(int offset, int limit) {
        return dsl.selectFrom(ROUTING_PROFILE).orderBy(ROUTING_PROFILE.ID).offset(offset).limit(limit).fetch(RoutingProfileRepository::toProfile);
    }

    public boolean nameTaken(String name, Long exceptId) {
        var condition = ROUTING_PROFILE.NAME.eq(name);
        return dsl.fetchExists(ROUTING_PROFILE, exceptId == null ? condition : condition.and(ROUTING_PROFILE.ID.ne(exceptId)));
    }

    private static void apply(RoutingProfileSpec spec, RoutingProfileRecord row) {
        row.setName(spec.name());
        row.setStrategy(spec.strategy());
        row.setMinMargin(spec.minMargin() == null ? BigDecimal.ZERO : spec.minMargin());
        row.setMinMarginPercent(spec.minMarginPercent() == null ? BigDecimal.ZERO : spec.minMarginPercent());
        row.setAllowLoss(spec.allowLoss());
        row.setMaxAttempts(spec.maxAttempts());
    }

    static ProvisionedRoutingProfile toProfile(RoutingProfileRecord r) {
        return new ProvisionedRoutingProfile(r.getId(), r.getName(), r.getStrategy(), r.getMinMargin(), r.getMinMarginPercent(),
                Boolean.TRUE.equals(r.getAllowLoss()), r.getMaxAttempts(), r.getCreatedAt(), r.getUpdatedAt());
    }
}
