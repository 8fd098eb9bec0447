package io.tandem.console.decks;

import io.tandem.routing.deck.DeckFormatRequest;
import java.util.List;
import java.util.Map;

/**
 * How to read an uploaded deck, as the API's query parameters or the console's upload form state it.
 *
 * @param mode          {@code update} (only listed codes change; default) or {@code full} (codes missing from the file close)
 * @param effectiveFrom ISO-8601 UTC for rows without a date; blank = now
 * @param format        the preset and overrides; {@code columns} maps field names to a header or {@code "#3"}
 * @param keepValidRows commit the valid rows even when some rows have errors
 * @param unreadable    options the adapter could not even read (a JSON mapping that is not JSON), as field messages
 */
public record UploadOptions(String mode, String effectiveFrom, DeckFormatRequest format, boolean keepValidRows,
                            Map<String, String> unreadable) {

    public UploadOptions {
        unreadable = unreadable == null ? Map.of() : Map.copyOf(unreadable);
    }

    /** A preset with its own column names, no overrides. */
    public static UploadOptions preset(String preset, String mode, String effectiveFrom, boolean keepValidRows) {
        return new UploadOptions(mode, effectiveFrom, new DeckFormatRequest(preset, null, null, null, null, List.of(), null), keepValidRows,
                Map.of());
    }
}
