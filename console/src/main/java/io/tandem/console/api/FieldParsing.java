package io.tandem.console.api;

import io.tandem.billing.account.Money;
import java.math.BigDecimal;
import java.util.Map;
import java.util.function.Function;

/** Parses request fields, collecting a message per bad field instead of failing on the first. */
public final class FieldParsing {

    private final Map<String, String> errors;

    public FieldParsing(Map<String, String> errors) {
        this.errors = errors;
    }

    /** A money amount as a decimal string ("12.50"); null stays null. */
    public BigDecimal money(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Money.parse(value);
        } catch (NumberFormatException e) {
            errors.put(field, "a decimal amount with at most 6 decimals, e.g. \"12.50\"");
            return null;
        }
    }

    public BigDecimal requiredMoney(String field, String value) {
        if (value == null) {
            errors.put(field, "required");
            return null;
        }
        return money(field, value);
    }

    public <E extends Enum<E>> E choice(String field, String value, Function<String, E> parse, String allowed, E fallback) {
        if (value == null) {
            if (fallback == null) {
                errors.put(field, "required: one of " + allowed);
            }
            return fallback;
        }
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            errors.put(field, "one of " + allowed);
            return fallback;
        }
    }

    public Map<String, String> errors() {
        return errors;
    }
}
