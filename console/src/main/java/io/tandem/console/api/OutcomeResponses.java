package io.tandem.console.api;

import io.tandem.console.change.Outcome;
import java.net.URI;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** Maps an application service's {@link Outcome} to the REST API's answer: 200/201, 400 with field messages, 404. */
public final class OutcomeResponses {

    private OutcomeResponses() {
    }

    public static <T> ResponseEntity<Object> ok(Outcome<T> outcome, Function<T, Object> view) {
        return switch (outcome) {
            case Outcome.Done<T>(T value) -> ResponseEntity.ok(view.apply(value));
            case Outcome.Invalid<T>(var fields) -> ApiError.invalid(fields);
            case Outcome.NotFound<T> notFound -> ApiError.status(HttpStatus.NOT_FOUND, notFound.message());
        };
    }

    public static <T> ResponseEntity<Object> ok(Outcome<T> outcome) {
        return ok(outcome, value -> value);
    }

    /** 201 with the resource at {@code location(value)}. */
    public static <T> ResponseEntity<Object> created(Outcome<T> outcome, Function<T, String> location, Function<T, Object> view) {
        return switch (outcome) {
            case Outcome.Done<T>(T value) -> ResponseEntity.created(URI.create(location.apply(value))).body(view.apply(value));
            case Outcome.Invalid<T>(var fields) -> ApiError.invalid(fields);
            case Outcome.NotFound<T> notFound -> ApiError.status(HttpStatus.NOT_FOUND, notFound.message());
        };
    }

    /** 204 when done. */
    public static <T> ResponseEntity<Object> noContent(Outcome<T> outcome) {
        return switch (outcome) {
            case Outcome.Done<T> done -> ResponseEntity.noContent().build();
            case Outcome.Invalid<T>(var fields) -> ApiError.invalid(fields);
            case Outcome.NotFound<T> notFound -> ApiError.status(HttpStatus.NOT_FOUND, notFound.message());
        };
    }
}
