package io.tandem.console.api.routing;

import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.cluster.RoutingChanges;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.routing.deck.CommitResult;
import io.tandem.routing.deck.DeckFormat;
import io.tandem.routing.deck.DeckFormatRequest;
import io.tandem.routing.deck.DeckLimits;
import io.tandem.routing.deck.DeckTooLargeException;
import io.tandem.routing.deck.DiffLine;
import io.tandem.routing.deck.ImportMode;
import io.tandem.routing.deck.ImportOptions;
import io.tandem.routing.deck.ImportPreview;
import io.tandem.routing.persistence.DeckImportRepository;
import io.tandem.routing.persistence.RateDeckRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
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

    private final DeckImportRepository imports;
    private final RateDeckRepository decks;
    private final RoutingChanges routingChanges;
    private final AuditLogRepository audit;

    public DeckImportsController(DeckImportRepository imports, RateDeckRepository decks, RoutingChanges routingChanges,
            AuditLogRepository audit) {
        this.imports = imports;
        this.decks = decks;
        this.routingChanges = routingChanges;
        this.audit = audit;
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
        if (decks.find(deckId).isEmpty()) {
            return ApiError.notFound("rate deck", deckId);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        ImportMode mode = switch (options.getOrDefault("mode", "update").toLowerCase(java.util.Locale.ROOT)) {
            case "full" -> ImportMode.FULL;
            case "update" -> ImportMode.UPDATE;
            default -> {
                errors.put("mode", "full (codes missing from the file are closed) or update (only listed codes change)");
                yield null;
            }
        };
        Instant effectiveFrom = null;
        if (options.get("effectiveFrom") != null && !options.get("effectiveFrom").isBlank()) {
            try {
                effectiveFrom = Instant.parse(options.get("effectiveFrom"));
            } catch (DateTimeParseException e) {
                errors.put("effectiveFrom", "an ISO-8601 UTC time such as 2026-12-01T00:00:00Z");
            }
        }
        Map<String, String> columns = null;
        if (options.get("columns") != null && !options.get("columns").isBlank()) {
            try {
                columns = JSON.readValue(options.get("columns"), new TypeReference<Map<String, String>>() {
                });
            } catch (JacksonException e) {
                errors.put("columns", "a JSON object such as {\"prefix\": \"Dial code\", \"rate\": \"#3\"}");
            }
        }
        DeckFormat format = new DeckFormatRequest(options.get("format"), options.get("delimiter"),
                bool(options.get("decimalComma")), integer(options.get("headerOffset"), "headerOffset", errors),
                bool(options.get("hasHeader")), datePatterns, columns).resolve(errors);
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        Optional<ImportPreview> preview;
        try {
            preview = imports.preview(deckId, fileName, content, format,
                    new ImportOptions(mode, effectiveFrom, Boolean.TRUE.equals(bool(options.get("keepValidRows")))), ApiCaller.name());
        } catch (DeckTooLargeException e) {
            // nothing was stored; the audit log keeps who sent a file past the limits
            audit.record(ApiCaller.name(), "upload refused", "rate_deck", String.valueOf(deckId),
                    fileName + ": " + e.getMessage(), http.getRemoteAddr());
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(new ApiError(e.getMessage(), Map.of("file", "limited by " + setting(e.limit()))));
        }
        if (preview.isEmpty()) {
            return ApiError.notFound("rate deck", deckId);
        }
        ImportPreview p = preview.get();
        audit.record(ApiCaller.name(), "upload", "deck_import", String.valueOf(p.deckImport().id()),
                "deck " + deckId + " " + p.deckImport().fileName() + " " + p.deckImport().status().code(), http.getRemoteAddr());
        return ResponseEntity.created(URI.create("/api/v1/rate-decks/" + deckId + "/imports/" + p.deckImport().id()))
                .body(ImportView.of(p.deckImport(), p.diff(), p.keptValidRows()));
    }

    @GetMapping
    public ResponseEntity<Object> history(@PathVariable long deckId, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "100") int limit) {
        if (decks.find(deckId).isEmpty()) {
            return ApiError.notFound("rate deck", deckId);
        }
        return ResponseEntity.ok(imports.history(deckId, Math.max(0, offset), Math.clamp(limit, 1, 1000)).stream()
                .map(i -> ImportView.of(i, null, null)).toList());
    }

    @GetMapping("/{importId}")
    public ResponseEntity<Object> get(@PathVariable long deckId, @PathVariable long importId) {
        return imports.find(importId).filter(i -> i.deckId() == deckId)
                .<ResponseEntity<Object>>map(i -> ResponseEntity.ok(ImportView.of(i, null, null)))
                .orElseGet(() -> ApiError.notFound("deck import", importId));
    }

    /** Applies the preview; 409 when increases need {@code acceptEarlyIncreases=true} or the import is not pending. */
    @PostMapping("/{importId}/commit")
    public ResponseEntity<Object> commit(@PathVariable long deckId, @PathVariable long importId,
            @RequestParam(defaultValue = "false") boolean acceptEarlyIncreases, HttpServletRequest http) {
        if (imports.find(importId).filter(i -> i.deckId() == deckId).isEmpty()) {
            return ApiError.notFound("deck import", importId);
        }
        CommitResult result = imports.commit(importId, acceptEarlyIncreases);
        return switch (result) {
            case CommitResult.Committed committed -> {
                routingChanges.announce("import " + importId + " of deck " + deckId);
                audit.record(ApiCaller.name(), "commit", "deck_import", String.valueOf(importId), "deck " + deckId,
                        http.getRemoteAddr());
                yield ResponseEntity.ok(ImportView.of(committed.deckImport(), null, null));
            }
            case CommitResult.NoticeRequired notice -> {
                Map<String, String> fields = new LinkedHashMap<>();
                for (DiffLine line : notice.increases()) {
                    fields.put(line.prefix(), line.increase() + " effective " + line.effectiveFrom());
                }
                yield ResponseEntity.status(HttpStatus.CONFLICT).body(new ApiError(notice.count()
                        + " price increase(s) take effect sooner than the deck's notice period of " + notice.noticeDays()
                        + " days; commit with acceptEarlyIncreases=true to override", fields));
            }
            case CommitResult.NotCommittable not -> ApiError.conflict(not.reason());
        };
    }

    /** The configuration key an operator raises when real decks pass the limit. */
    static String setting(DeckLimits.Limit limit) {
        return switch (limit) {
            case UPLOAD_BYTES -> "tandem.decks.max-upload-size";
            case DECOMPRESSED_BYTES -> "tandem.decks.max-decompressed-size";
            case ROWS -> "tandem.decks.max-rows";
            case RECORD_CHARACTERS -> "the fixed limit of " + DeckLimits.MAX_RECORD_CHARACTERS + " characters per row";
        };
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
