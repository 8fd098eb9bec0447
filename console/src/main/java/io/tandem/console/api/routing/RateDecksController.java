package io.tandem.console.api.routing;

import io.tandem.console.api.ApiError;
import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.decks.RateDeckService;
import io.tandem.console.decks.RateDeckService.DeckRequest;
import io.tandem.console.service.Caller;
import io.tandem.routing.deck.RateDeck;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Rate decks and their rates over HTTP, a thin adapter over {@link RateDeckService}. Uploads: {@link DeckImportsController}. */
@RestController
@RequestMapping("/api/v1/rate-decks")
public class RateDecksController {

    private final RateDeckService decks;
    private final Clock clock;

    public RateDecksController(RateDeckService decks, Clock clock) {
        this.decks = decks;
        this.clock = clock;
    }

    public record DeckView(long id, long accountId, String name, String direction, String currency, int noticeDays,
                           int graceSeconds, long deckVersion, Instant createdAt, Instant updatedAt) {
        static DeckView of(RateDeck d) {
            return new DeckView(d.id(), d.accountId(), d.name(), d.direction().code(), d.currency(), d.noticeDays(),
                    d.graceSeconds(), d.deckVersion(), d.createdAt(), d.updatedAt());
        }
    }

    @PostMapping
    public ResponseEntity<Object> create(@RequestBody DeckRequest request, HttpServletRequest http) {
        return ApiOutcomes.created(decks.create(Caller.current(http.getRemoteAddr()), request),
                deck -> URI.create("/api/v1/rate-decks/" + deck.id()), DeckView::of);
    }

    @GetMapping
    public List<DeckView> list(@RequestParam(required = false) Long accountId, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "100") int limit) {
        return decks.list(accountId, offset, limit).stream().map(DeckView::of).toList();
    }

    @GetMapping("/{id}")
    public ResponseEntity<Object> get(@PathVariable long id) {
        return decks.find(id).<ResponseEntity<Object>>map(d -> ResponseEntity.ok(DeckView.of(d)))
                .orElseGet(() -> ApiError.notFound("rate deck", id));
    }

    /** The rates in force now and scheduled, for prefixes starting with {@code prefix}. */
    @GetMapping("/{id}/rates")
    public ResponseEntity<Object> rates(@PathVariable long id, @RequestParam(defaultValue = "") String prefix,
            @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "1000") int limit) {
        Instant now = clock.instant();
        return ApiOutcomes.ok(decks.rates(id, prefix, offset, limit), rates -> rates.stream().map(r -> RateView.of(r, now)).toList());
    }

    /**
     * The deck's current and scheduled rates as CSV in the canonical layout (an upload reads it back), streamed
     * from a database cursor.
     */
    @GetMapping("/{id}/rates.csv")
    public ResponseEntity<Object> download(@PathVariable long id, HttpServletResponse response) throws IOException {
        if (decks.find(id).isEmpty()) {
            return ApiError.notFound("rate deck", id);
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"rate-deck-" + id + ".csv\"");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        decks.writeCsv(id, writer);
        writer.flush();
        return null;
    }
}
