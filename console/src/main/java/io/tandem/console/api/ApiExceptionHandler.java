package io.tandem.console.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns the framework's request errors into {@link ApiError} bodies; logs what is our fault. Covers every
 * controller of the node (also those beside their feature, such as calls, cluster, media control): a request
 * error left to Spring's default would be answered through the error page, which sends a script to the
 * console's sign-in page (a {@code 302}) instead of a {@code 400} that says what was wrong.
 */
@RestControllerAdvice(basePackages = "io.tandem.console")
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e) {
        String detail = e.getMostSpecificCause().getMessage();
        if (detail != null && detail.length() > 300) {
            detail = detail.substring(0, 300);
        }
        return ApiError.status(HttpStatus.BAD_REQUEST, "request body is not valid JSON for this resource: " + detail);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<Object> invalid(MethodArgumentNotValidException e) {
        Map<String, String> fields = new LinkedHashMap<>();
        e.getBindingResult().getFieldErrors().forEach(f -> fields.put(f.getField(), f.getDefaultMessage()));
        return ApiError.invalid(fields);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e) {
        return ApiError.invalid(Map.of(e.getName(), "not a valid " + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName())));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Object> missing(MissingServletRequestParameterException e) {
        return ApiError.invalid(Map.of(e.getParameterName(), "required"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e) {
        return ApiError.status(HttpStatus.METHOD_NOT_ALLOWED, e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> mediaType(HttpMediaTypeNotSupportedException e) {
        return ApiError.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> noResource(NoResourceFoundException e) {
        return ApiError.status(HttpStatus.NOT_FOUND, "no such API resource: " + e.getResourcePath());
    }

    /** A multipart upload past {@code spring.servlet.multipart.max-file-size}, set by {@code tandem.decks.max-upload-size}. */
    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Object> uploadTooLarge(MaxUploadSizeExceededException e) {
        String limit = e.getMaxUploadSize() > 0 ? " of " + e.getMaxUploadSize() + " bytes" : "";
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(new ApiError("The upload is larger than the limit" + limit,
                Map.of("file", "limited by tandem.decks.max-upload-size")));
    }

    /**
     * The database failed the request (unreachable, or a statement it refused for a reason that is
     * not the request's). The change's transaction is rolled back; the script gets a JSON 500 rather
     * than the console's sign-in page, which is where Spring's error page would send it.
     */
    @ExceptionHandler(org.springframework.dao.DataAccessException.class)
    ResponseEntity<Object> database(org.springframework.dao.DataAccessException e) {
        log.error("Request failed in the database; nothing was changed", e);
        return ApiError.status(HttpStatus.INTERNAL_SERVER_ERROR, "the database failed this request; nothing was changed (the node's log has the details)");
    }

    @ExceptionHandler(org.springframework.dao.DataIntegrityViolationException.class)
    ResponseEntity<Object> integrity(org.springframework.dao.DataIntegrityViolationException e) {
        log.info("Request refused by a database constraint: {}", e.getMostSpecificCause().getMessage());
        return ApiError.conflict("refused by the database: a referenced record does not exist or a unique value is already taken");
    }
}
