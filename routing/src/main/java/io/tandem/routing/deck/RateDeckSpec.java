package io.tandem.routing.deck;

import io.tandem.routing.DeckDirection;
import java.util.LinkedHashMap;
import java.util.Map;

/** What it takes to create a rate deck; {@link #validate()} names every field that is wrong. */
public record RateDeckSpec(Long accountId, String name, DeckDirection direction, String currency, Integer noticeDays) {

    /** Field name to message; empty when the spec is fine. */
    public Map<String, String> validate() {
        Map<String, String> errors = new LinkedHashMap<>();
        if (accountId == null) {
            errors.put("accountId", "required");
        }
        if (name == null || name.isBlank()) {
            errors.put("name", "required");
        } else if (name.length() > 128) {
            errors.put("name", "at most 128 characters");
        }
        if (direction == null) {
            errors.put("direction", "sell or buy");
        }
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            errors.put("currency", "a three-letter ISO 4217 code such as EUR");
        }
        if (noticeDays != null && (noticeDays < 0 || noticeDays > 365)) {
            errors.put("noticeDays", "between 0 and 365");
        }
        return errors;
    }
}
