package io.tandem.routing.deck;

import java.time.Instant;
import java.util.Objects;

/**
 * How to take an upload: full replace or update, the date for rows without one (null = now), and
 * whether to keep the valid rows of a file that has bad ones ({@code keepValidRows}); by default a
 * file with any bad row is rejected whole.
 */
public record ImportOptions(ImportMode mode, Instant effectiveFrom, boolean keepValidRows) {

    public ImportOptions {
        Objects.requireNonNull(mode, "mode");
    }
}
