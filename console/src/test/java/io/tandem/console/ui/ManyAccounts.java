package io.tandem.console.ui;

import static io.tandem.db.jooq.Tables.ACCOUNT;
import static io.tandem.db.jooq.Tables.INGRESS_TRUNK;
import static io.tandem.db.jooq.Tables.VENDOR_GATEWAY;

import io.tandem.db.jooq.tables.records.AccountRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;

/**
 * More accounts than a picker's old first page held (kind both, named {@code zz-picker-0001}...), inserted in one
 * batch and removed with the trunks and gateways a test gave them, so the shared node's other tests never see them.
 */
public final class ManyAccounts {

    public static final String PREFIX = "zz-picker-";

    private ManyAccounts() {
    }

    public static void insert(DSLContext dsl, int count) {
        Instant now = Instant.now();
        List<AccountRecord> rows = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            AccountRecord row = dsl.newRecord(ACCOUNT);
            row.setName(PREFIX + String.format("%04d", i));
            row.setKind("both");
            row.setCurrency("USD");
            row.setCreatedAt(now);
            row.setUpdatedAt(now);
            rows.add(row);
        }
        dsl.batchInsert(rows).execute();
    }

    public static void remove(DSLContext dsl) {
        var extra = dsl.select(ACCOUNT.ID).from(ACCOUNT).where(ACCOUNT.NAME.startsWith(PREFIX));
        dsl.deleteFrom(INGRESS_TRUNK).where(INGRESS_TRUNK.ACCOUNT_ID.in(extra)).execute();
        dsl.deleteFrom(VENDOR_GATEWAY).where(VENDOR_GATEWAY.ACCOUNT_ID.in(extra)).execute();
        dsl.deleteFrom(ACCOUNT).where(ACCOUNT.NAME.startsWith(PREFIX)).execute();
    }
}
