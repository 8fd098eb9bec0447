package io.tandem.console.api.routing;

import io.tandem.console.api.ApiError;
import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.decks.DeckCommit;
import io.tandem.console.decks.EarlyIncreases;
import io.tandem.console.decks.RateDeckService;
import io.tandem.console.decks.UploadOptions;
import io.tandem.console.service.Caller;
import io.tandem.routing.deck.DeckFormatRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deck uploads: {@code POST /api/v1/rate-decks/{id}/imports} with the file as multipart part
 * {@code file}, or as the raw request body ({@code text/csv}, {@code application/gzip},
 * {@code application/zip}, {@code application/octet-stream}; name it with {@code fileName}),
 * answers 201 with the preview; {@code POST .../imports/{importId}/commit} applies it and reloads
 * routing on this node (peers follow within a second through the version stamp). A file past the
 * {@code tandem.decks.*} limits answers 413 naming the limit, and nothing is stored.
 */
@RestController
@RequestMapping("/api/v1/rate-decks/{deckId}/imports")
public class DeckImportsController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RateDeckService decks;

    public DeckImportsController(RateDeckService decks) {
        this.decks = decks;
    }

    @PostMapping(consumes = "multipart/form-data")
    public ResponseEntity<Object> uploadMultipart(@PathVariable long deckId, @RequestPart("file") MultipartFile file,
            @RequestParam Map<String, String> options, @RequestParam(name = "datePattern", required = false) List<String> datePatterns,
            HttpServletRequest http) throws IOException {
        try (InputStream in = file.getInputStream()) {
            return upload(deckId, file.getOriginalFilename(), in, options, datePatterns, http);
        }
    }

    @PostMapping(consumes = {"text/csv", "text/plain", "application/gzip", "application/x-gzip", "application/zip",
            "application/octet-stream"})
    public ResponseEntity<Object> uploadBody(@PathVariable long deckId, @RequestParam Map<String, String> options,
            @RequestParam(name = "datePattern", required = false) List<String> datePatterns, HttpServletRequest http)
            throws IOException {
        try (InputStream in = http.getInputStream()) {
            return upload(deckId, options.getOrDefault("fileName", "upload.csv"), in, options, datePatterns, http);
        }
    }

    private ResponseEntity<Object> upload(long deckId, String fileName, InputStream content, Map<String, String> options,
            List<String> datePatterns, HttpServletRequest http) {
        return ApiOutcomes.created(decks.preview(Caller.current(http.getRemoteAddr()), deckId, fileName, content,
                        uploadOptions(options, datePatterns)),
                p -> URI.create("/api/v1/rate-decks/" + deckId + "/imports/" + p.deckImport().id()),
                p -> ImportView.of(p.deckImport(), p.diff(), p.keptValidRows()));
    }

    /** The upload's query parameters as options; what cannot even be read is kept as field messages. */
    public static UploadOptions uploadOptions(Map<String, String> options, List<String> datePatterns) {
        Map<String, String> unreadable = new LinkedHashMap<>();
        Map<String, String> columns = null;
        if (options.get("columns") != null && !options.get("columns").isBlank()) {
            try {
                columns = JSON.readValue(options.get("columns"), new TypeReference<Map<String, String>>() {
                });
            } catch (JacksonException e) {
                unreadable.put("columns", "a JSON object such as {\"prefix\": \"Dial code\", \"rate\": \"#3\"}");
            }
        }
        DeckFormatRequest format = new DeckFormatRequest(options.get("format"), options.get("delimiter"),
                bool(options.get("decimalComma")), integer(options.get("headerOffset"), "headerOffset", unreadable),
                bool(options.get("hasHeader")), datePatterns, columns);
        return new UploadOptions(options.getOrDefault("mode", "update"), options.get("effectiveFrom"), format,
                Boolean.TRUE.equals(bool(options.get("keepValidRows"))), unreadable);
    }

    @GetMapping
    public ResponseEntity<Object> history(@PathVariable long deckId, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "100") int limit) {
        return decks.history(deckId, offset, limit)
                .<ResponseEntity<Object>>map(history -> ResponseEntity.ok(history.stream().map(i -> ImportView.of(i, null, null)).toList()))
                .orElseGet(() -> ApiError.notFound("rate deck", deckId));
    }

    @GetMapping("/{importId}")
    public ResponseEntity<Object> get(@PathVariable long deckId, @PathVariable long importId) {
        return decks.findImport(deckId, importId)
                .<ResponseEntity<Object>>map(i -> ResponseEntity.ok(ImportView.of(i, null, null)))
                .orElseGet(() -> ApiError.notFound("deck import", importId));
    }

    /**
     * Applies the preview. Increases inside the deck's notice period: {@code earlyIncreases=refuse} (default; 409
     * naming them), {@code push} (moved to the end of the period, the answer says how many and to when) or
     * {@code accept} (override, audited; {@code acceptEarlyIncreases=true} says the same). 409 when the import is
     * not pending.
     */
    @PostMapping("/{importId}/commit")
    public ResponseEntity<Object> commit(@PathVariable long deckId, @PathVariable long importId,
            @RequestParam(defaultValue = "false") boolean acceptEarlyIncreases, @RequestParam(required = false) String earlyIncreases,
            HttpServletRequest http) {
        EarlyIncreases early = acceptEarlyIncreases ? EarlyIncreases.ACCEPT : EarlyIncreases.REFUSE;
        if (earlyIncreases != null && !earlyIncreases.isBlank()) {
            early = EarlyIncreases.ofCode(earlyIncreases);
            if (early == null) {
                return ApiError.invalid(Map.of("earlyIncreases", "refuse, push or accept"));
            }
        }
        return ApiOutcomes.ok(decks.commit(Caller.current(http.getRemoteAddr()), deckId, importId, early), CommitView::of);
    }

    /** The committed import as before, plus which way early increases went and the notices sent. */
    public record CommitView(@com.fasterxml.jackson.annotation.JsonUnwrapped ImportView deckImport, int pushedIncreases,
                             java.time.Instant pushedTo, boolean acceptedEarlyIncreases, List<Long> notices, String summary) {
        static CommitView of(DeckCommit commit) {
            return new CommitView(ImportView.of(commit.deckImport(), null, null), commit.pushedIncreases(), commit.pushedTo(),
                    commit.acceptedEarlyIncreases(), commit.notices().stream().map(io.tandem.console.notices.RateNotice::id).toList(),
                    commit.summary());
        }
    }

    /** Drops a preview without touching the deck; 409 when the import is not a preview. */
    @PostMapping("/{importId}/discard")
    public ResponseEntity<Object> discard(@PathVariable long deckId, @PathVariable long importId, HttpServletRequest http) {
        return ApiOutcomes.ok(decks.discard(Caller.current(http.getRemoteAddr()), deckId, importId),
                discarded -> ImportView.of(discarded, null, null));
    }

    private static Boolean bool(String value) {
        return value == null || value.isBlank() ? null : Boolean.parseBoolean(value.trim());
    }

    private static Integer integer(String value, String field, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            errors.put(field, "a whole number");
            return null;
        }
    }
}
