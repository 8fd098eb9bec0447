package io.tandem.console.change;

import java.util.Map;

/**
 * What an application service made of a change: done (with the result), refused because fields
 * need attention (field name to message), or aimed at something that does not exist. The REST
 * API maps it to 200/201, 400 and 404; a view shows the value or the field messages.
 */
public sealed interface Outcome<T> {

    record Done<T>(T value) implements Outcome<T> {
    }

    record Invalid<T>(Map<String, String> fields) implements Outcome<T> {
        public Invalid {
            fields = Map.copyOf(fields);
        }
    }

    record NotFound<T>(String what, long id) implements Outcome<T> {
        public String message() {
            return what + " " + id + " does not exist";
        }
    }

    static <T> Outcome<T> done(T value) {
        return new Done<>(value);
    }

    static <T> Outcome<T> invalid(Map<String, String> fields) {
        return new Invalid<>(new java.util.LinkedHashMap<>(fields));
    }

    static <T> Outcome<T> notFound(String what, long id) {
        return new NotFound<>(what, id);
    }
}
