package io.tandem.console.api.routing;

import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.routing.DeckDirection;
import io.tandem.routing.deck.RateDeck;
import io.tandem.routing.deck.RateDeckSpec;
import io.tandem.routing.persistence.RateDeckRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Rate decks and their rates. Uploads: {@link DeckImportsController}. */
@RestController
@RequestMapping("/api/v1/rate-decks")
public class RateDecksController {

    private final RateDeckRepository decks;
    private final AuditLogRepository audit;
    private final Clock clock;

    public RateDecksController(RateDeckRepository decks, AuditLogRepository audit, Clock clock) {
        this.decks = decks;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code direction}: sell or buy; {@code noticeDays} defaults to 7. */
    public record DeckRequest(Long accountId, String name, String direction, String currency, Integer noticeDays) {
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
        DeckDirection direction = null;
        if (request.direction() != null && List.of("sell", "buy").contains(request.direction().toLowerCase(Locale.ROOT))) {
            direction = DeckDirection.ofCode(request.direction());
        }
        RateDeckSpec spec = new RateDeckSpec(request.accountId(), request.name(), direction,
                request.currency() == null ? null : request.currency().trim().toUpperCase(Locale.ROOT), request.noticeDays());
        Map<String, String> errors = decks.validate(spec);
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        RateDeck deck = decks.create(spec);
        audit.record(ApiCaller.name(), "create", "rate_deck", String.valueOf(deck.id()), deck.name(), http.getRemoteAddr());
        return ResponseEntity.created(URI.create("/api/v1/rate-decks/" + deck.id())).body(DeckView.of(deck));
    }

    @GetMapping
    public List<DeckView> list(@RequestParam(required = false) Long accountId, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "100") int limit) {
        return decks.list(accountId, Math.max(0, offset), Math.clamp(limit, 1, 1000)).stream().map(DeckView::of).toList();
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
        if (decks.find(id).isEmpty()) {
            return ApiError.notFound("rate deck", id);
        }
        if (!prefix.chars().allMatch(Character::isDigit)) {
            return ApiError.invalid(Map.of("prefix", "digits only"));
        }
        Instant now = clock.instant();
        return ResponseEntity.ok(decks.rates(id, prefix, Math.max(0, offset), Math.clamp(limit, 1, 10_000)).stream()
                .map(r -> RateView.of(r, now)).toList());
    }
}
