package io.tandem.console.calls.persistence;

import static io.tandem.db.jooq.Tables.ACCOUNT;

import java.util.HashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/** Account names by id, for lists that carry only ids (live calls). */
@Repository
public class AccountNameRepository {

    private final DSLContext dsl;

    public AccountNameRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Map<Long, String> names() {
        Map<Long, String> names = new HashMap<>();
        dsl.select(ACCOUNT.ID, ACCOUNT.NAME).from(ACCOUNT).fetch().forEach(row -> names.put(row.value1(), row.value2()));
        return names;
    }
}
