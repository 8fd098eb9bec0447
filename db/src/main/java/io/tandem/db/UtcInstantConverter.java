package io.tandem.db;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jooq.Converter;

/**
 * Timestamps are stored without a zone ({@code TIMESTAMP(3)} / {@code DATETIME(3)}) and always
 * mean UTC. Generated jOOQ fields expose them as {@link Instant}, so no code converts by hand.
 */
public final class UtcInstantConverter implements Converter<LocalDateTime, Instant> {

    @Override
    public Instant from(LocalDateTime databaseObject) {
        return databaseObject == null ? null : databaseObject.toInstant(ZoneOffset.UTC);
    }

    @Override
    public LocalDateTime to(Instant userObject) {
        return userObject == null ? null : LocalDateTime.ofInstant(userObject, ZoneOffset.UTC);
    }

    @Override
    public Class<LocalDateTime> fromType() {
        return LocalDateTime.class;
    }

    @Override
    public Class<Instant> toType() {
        return Instant.class;
    }
}
