package io.tandem.console.api;

import io.tandem.console.service.Outcome;
import java.net.URI;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** An application service's {@link Outcome} as the REST API answers it. */
public final class ApiOutcomes {

    private ApiOutcomes() {
    }

    /** {@code 200} with the body, or the error the outcome names. */
    public static <T> ResponseEntity<Object> ok(Outcome<T> outcome, Function<T, Object> body) {
        return respond(outcome, value -> ResponseEntity.ok(body.apply(value)));
    }

    /** {@code 201} with a {@code Location} and the body (a replay answers {@code 200}), or the error. */
    public static <T> ResponseEntity<Object> created(Outcome<T> outcome, Function<T, URI> location, Function<T, Object> body) {
        return respond(outcome, value -> ResponseEntity.created(location.apply(value)).body(body.apply(value)));
    }

    /** {@code 200} with the value itself as the body. */
    public static <T> ResponseEntity<Object> ok(Outcome<T> outcome) {
        return ok(outcome, value -> value);
    }

    /** {@code 201} with the resource at the path {@code location(value)}. */
    public static <T> ResponseEntity<Object> createdAt(Outcome<T> outcome, Function<T, String> location, Function<T, Object> body) {
        return created(outcome, value -> URI.create(location.apply(value)), body);
    }

    /** {@code 204} when done. */
    public static <T> ResponseEntity<Object> noContent(Outcome<T> outcome) {
        return respond(outcome, value -> ResponseEntity.noContent().build());
    }

    public static <T> ResponseEntity<Object> respond(Outcome<T> outcome, Function<T, ResponseEntity<Object>> done) {
        return switch (outcome) {
            case Outcome.Done<T> d -> done.apply(d.value());
            case Outcome.Invalid<T> invalid -> ApiError.invalid(invalid.fields());
            case Outcome.NotFound<T> notFound -> ApiError.status(HttpStatus.NOT_FOUND, notFound.message());
            case Outcome.Conflict<T> conflict -> ResponseEntity.status(HttpStatus.CONFLICT).body(new ApiError(conflict.message(), conflict.fields()));
            case Outcome.InsufficientFunds<T> insufficient -> ApiError.status(HttpStatus.PAYMENT_REQUIRED, insufficient.message());
            case Outcome.TooLarge<T> tooLarge -> ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(new ApiError(tooLarge.message(), tooLarge.fields()));
        };
    }
}
