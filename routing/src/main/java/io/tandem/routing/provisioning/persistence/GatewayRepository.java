package io.tandem.routing.provisioning.persistence;

import static io.tandem.db.jooq.Tables.VENDOR_GATEWAY;

import io.tandem.db.ConfigVersionStamp;
import io.tandem.db.jooq.tables.records.VendorGatewayRecord;
import io.tandem.routing.provisioning.DnsLookup;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.routing.provisioning.SipTransport;
import io.tandem.routing.provisioning.VendorGateway;
import io.tandem.routing.provisioning.VendorGatewaySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Vendor gateways. Every write bumps the config version stamp. */
public final class GatewayRepository {

    private final DSLContext dsl;
    private final Clock clock;

    public GatewayRepository(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    public VendorGateway create(VendorGatewaySpec spec) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Instant now = clock.instant();
            VendorGatewayRecord row = tx.newRecord(VENDOR_GATEWAY);
            apply(spec, row);
            row.setCreatedAt(now);
            row.setUpdatedAt(now);
            row.store();
            ConfigVersionStamp.bump(tx, now);
            return toGateway(row);
        });
    }

    public Optional<VendorGateway> update(long id, VendorGatewaySpec spec) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            VendorGatewayRecord row = tx.selectFrom(VENDOR_GATEWAY).where(VENDOR_GATEWAY.ID.eq(id)).forUpdate().fetchOne();
            if (row == null) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            apply(spec, row);
            row.setUpdatedAt(now);
            row.update();
            ConfigVersionStamp.bump(tx, now);
            return Optional.of(toGateway(row));
        });
    }

    public Optional<VendorGateway> setEnabled(long id, boolean enabled) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Instant now = clock.instant();
            if (tx.update(VENDOR_GATEWAY).set(VENDOR_GATEWAY.ENABLED, enabled).set(VENDOR_GATEWAY.UPDATED_AT, now)
                    .where(VENDOR_GATEWAY.ID.eq(id)).execute() == 0) {
                return Optional.empty();
            }
            ConfigVersionStamp.bump(tx, now);
            return Optional.of(toGateway(tx.selectFrom(VENDOR_GATEWAY).where(VENDOR_GATEWAY.ID.eq(id)).fetchSingle()));
        });
    }

    public Optional<VendorGateway> find(long id) {
        return dsl.selectFrom(VENDOR_GATEWAY).where(VENDOR_GATEWAY.ID.eq(id)).fetchOptional().map(GatewayRepository::toGateway);
    }

    public List<VendorGateway> list(Long accountId, int offset, int limit) {
        return search(accountId, "", offset, limit);
    }

    /** Gateways whose name or host contains {@code text} (any case; empty = all), in id order. */
    public List<VendorGateway> search(Long accountId, String text, int offset, int limit) {
        Condition condition = accountId == null ? DSL.noCondition() : VENDOR_GATEWAY.ACCOUNT_ID.eq(accountId);
        if (!text.isEmpty()) {
            condition = condition.and(VENDOR_GATEWAY.NAME.containsIgnoreCase(text).or(VENDOR_GATEWAY.HOST.containsIgnoreCase(text)));
        }
        return dsl.selectFrom(VENDOR_GATEWAY).where(condition).orderBy(VENDOR_GATEWAY.ID).offset(offset).limit(limit)
                .fetch(GatewayRepository::toGateway);
    }

    public boolean nameTaken(String name, Long exceptId) {
        var condition = VENDOR_GATEWAY.NAME.eq(name);
        return dsl.fetchExists(VENDOR_GATEWAY, exceptId == null ? condition : condition.and(VENDOR_GATEWAY.ID.ne(exceptId)));
    }

    private static void apply(VendorGatewaySpec spec, VendorGatewayRecord row) {
        row.setAccountId(spec.accountId());
        row.setName(spec.name());
        row.setHost(spec.host());
        row.setPort(spec.port());
        row.setTransport((spec.transport() == null ? SipTransport.UDP : spec.transport()).code());
        row.setDnsLookup((spec.dnsLookup() == null ? DnsLookup.ADDRESS : spec.dnsLookup()).code());
        row.setTechPrefix(spec.techPrefix() == null ? "" : spec.techPrefix());
        row.setPriority(spec.priority());
        row.setWeight(spec.weight());
        row.setMaxCps(spec.maxCps());
        row.setMaxConcurrentCalls(spec.maxConcurrentCalls());
        List<Integer> codes = spec.failoverCodes() == null ? VendorGatewaySpec.DEFAULT_FAILOVER_CODES : spec.failoverCodes();
        row.setFailoverCodes(codes.stream().map(String::valueOf).collect(Collectors.joining(",")));
        row.setEnabled(spec.enabled());
        row.setRegisteredTrunkId(spec.registeredTrunkId());
        row.setMediaMode((spec.mediaMode() == null ? MediaMode.BYPASS : spec.mediaMode()).code());
    }

    static VendorGateway toGateway(VendorGatewayRecord r) {
        List<Integer> parsed = io.tandem.routing.Gateway.parseFailoverCodes(r.getFailoverCodes());
        List<Integer> codes = parsed == null ? List.of() : parsed;
        return new VendorGateway(r.getId(), r.getAccountId(), r.getName(), r.getHost(), r.getPort(),
                SipTransport.ofCode(r.getTransport()), DnsLookup.ofCode(r.getDnsLookup()), r.getTechPrefix(), r.getPriority(), r.getWeight(), r.getMaxCps(),
                r.getMaxConcurrentCalls(), codes, Boolean.TRUE.equals(r.getEnabled()),
                MediaMode.ofCode(r.getMediaMode()), r.getCreatedAt(), r.getUpdatedAt(), r.getRegisteredTrunkId());
    }
}
