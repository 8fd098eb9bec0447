package io.tandem.console.service;

import java.util.Map;

/**
 * What an application service answers to a change: done, or why not. The REST API maps it to a status and an
 * {@code ApiError} body ({@code ApiOutcomes}); a view shows the field messages next to its fields.
 */
public sealed interface Outcome<T> {

    /** The change was made (or, for an idempotent replay, had been made: {@code replayed}). */
    record Done<T>(T value, boolean replayed) implements Outcome<T> {
        public Done(T value) {
            this(value, false);
        }
    }

    /** One message per field that needs attention; nothing changed. */
    record Invalid<T>(Map<String, String> fields) implements Outcome<T> {
        public Invalid {
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }
    }

    /** The thing to change does not exist, e.g. "account 12 does not exist". */
    record NotFound<T>(String message) implements Outcome<T> {
    }

    /** The request contradicts the state it met (a used idempotency key, an import already committed). */
    record Conflict<T>(String message, Map<String, String> fields) implements Outcome<T> {
        public Conflict(String message) {
            this(message, Map.of());
        }
    }

    /** Taking money off would spend money the account does not have. */
    record InsufficientFunds<T>(String message) implements Outcome<T> {
    }

    /** An upload past a size limit; nothing was stored. {@code fields} names the setting that limits it. */
    record TooLarge<T>(String message, Map<String, String> fields) implements Outcome<T> {
    }

    static <T> Outcome<T> done(T value) {
        return new Done<>(value);
    }

    static <T> Outcome<T> invalid(Map<String, String> fields) {
        return new Invalid<>(fields);
    }

    static <T> Outcome<T> notFound(String what, long id) {
        return new NotFound<>(what + " " + id + " does not exist");
    }

    /** A short sentence for a notification. */
    default String message() {
        return switch (this) {
            case Done<T> done -> "done";
            case Invalid<T> invalid -> invalid.fields().size() + " field(s) need attention: " + String.join("; ",
                    invalid.fields().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
            case NotFound<T> notFound -> notFound.message();
            case Conflict<T> conflict -> conflict.message();
            case InsufficientFunds<T> insufficient -> insufficient.message();
            case TooLarge<T> tooLarge -> tooLarge.message();
        };
    }
}
