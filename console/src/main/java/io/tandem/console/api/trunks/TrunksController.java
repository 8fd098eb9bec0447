package io.tandem.console.api.trunks;

import io.tandem.billing.account.Account;
import io.tandem.billing.persistence.AccountRepository;
import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.api.FieldParsing;
import io.tandem.console.api.PutBodyMerge;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.routing.DeckDirection;
import io.tandem.routing.deck.RateDeck;
import io.tandem.routing.persistence.RateDeckRepository;
import io.tandem.routing.provisioning.IngressTrunk;
import io.tandem.routing.provisioning.IngressTrunkSpec;
import io.tandem.routing.provisioning.AssertedIdentity;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.routing.provisioning.ProvisioningValidation;
import io.tandem.routing.provisioning.TranslationRuleSpec;
import io.tandem.routing.provisioning.persistence.RoutingProfileRepository;
import io.tandem.routing.provisioning.persistence.TrunkRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Customers' ingress trunks: source CIDRs, digest users (stored as HA1 only), number translation. */
@RestController
@RequestMapping("/api/v1/ingress-trunks")
public class TrunksController {

    private final TrunkRepository trunks;
    private final AccountRepository accounts;
    private final RoutingProfileRepository profiles;
    private final RateDeckRepository decks;
    private final AuditLogRepository audit;
    private final PutBodyMerge putBodies;

    public TrunksController(TrunkRepository trunks, AccountRepository accounts, RoutingProfileRepository profiles, RateDeckRepository decks,
                            AuditLogRepository audit, JsonMapper json) {
        this.trunks = trunks;
        this.accounts = accounts;
        this.profiles = profiles;
        this.decks = decks;
        this.audit = audit;
        this.putBodies = new PutBodyMerge(json);
    }

    public record TrunkRequest(Long accountId, String name, List<String> sourceCidrs, String techPrefix,
                               List<TranslationRuleSpec> calleeTranslations, List<TranslationRuleSpec> callerTranslations,
                               Long routingProfileId, Long sellDeckId, String mediaMode, Integer maxCps, Integer maxConcurrentCalls,
                               Boolean enabled, List<IngressTrunkSpec.DigestCredential> digestUsers, String assertedIdentity,
                               Boolean digestMd5) {

        /** The trunk as a request would state it, digest users left out (kept): what a {@code PUT} body is merged onto. */
        static TrunkRequest of(IngressTrunk t) {
            return new TrunkRequest(t.accountId(), t.name(), t.sourceCidrs(), t.techPrefix(), t.calleeTranslations(), t.callerTranslations(),
                    t.routingProfileId(), t.sellDeckId(), t.mediaMode().code(), t.maxCps(), t.maxConcurrentCalls(), t.enabled(), null,
                    t.assertedIdentity().code(), t.digestMd5());
        }
    }

    /** Fields whose empty value means something, so that an explicit {@code null} in a {@code PUT} clears them. */
    private static final Set<String> CLEARABLE = Set.of("sourceCidrs", "techPrefix", "calleeTranslations", "callerTranslations",
            "routingProfileId", "sellDeckId", "maxCps", "maxConcurrentCalls");

    @GetMapping
    public List<IngressTrunk> list(@RequestParam(required = false) Long accountId, @RequestParam(defaultValue = "0") int offset,
                                   @RequestParam(defaultValue = "100") int limit) {
        return trunks.list(accountId, Math.max(0, offset), Math.clamp(limit, 1, 1000));
    }

    @GetMapping("/{id}")
    public ResponseEntity<Object> get(@PathVariable long id) {
        return trunks.find(id).<ResponseEntity<Object>>map(ResponseEntity::ok).orElseGet(() -> ApiError.notFound("ingress trunk", id));
    }

    @PostMapping
    public ResponseEntity<Object> create(@RequestBody TrunkRequest request, HttpServletRequest http) {
        Map<String, String> errors = new LinkedHashMap<>();
        IngressTrunkSpec spec = spec(request, null, errors);
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        IngressTrunk trunk = trunks.create(spec);
        audit.record(ApiCaller.name(), "create", "ingress_trunk", String.valueOf(trunk.id()), trunk.name(), http.getRemoteAddr());
        return ResponseEntity.created(URI.create("/api/v1/ingress-trunks/" + trunk.id())).body(trunk);
    }

    /**
     * Replaces the fields the body names; the others keep their value (see {@link PutBodyMerge}), so
     * a disabled trunk stays disabled and its limits stay unless the body says otherwise. {@code null}
     * clears {@link #CLEARABLE} fields only; {@code digestUsers} left out or null keeps the users.
     */
    @PutMapping("/{id}")
    public ResponseEntity<Object> update(@PathVariable long id, @RequestBody JsonNode body, HttpServletRequest http) {
        Optional<IngressTrunk> current = trunks.find(id);
        if (current.isEmpty()) {
            return ApiError.notFound("ingress trunk", id);
        }
        return switch (putBodies.merge(TrunkRequest.of(current.get()), body, TrunkRequest.class, CLEARABLE)) {
            case PutBodyMerge.Merged.Request<TrunkRequest>(TrunkRequest request) -> replace(id, request, http);
            case PutBodyMerge.Merged.Unreadable<TrunkRequest>(String problem) -> ApiError.status(HttpStatus.BAD_REQUEST, problem);
        };
    }

    private ResponseEntity<Object> replace(long id, TrunkRequest request, HttpServletRequest http) {
        Map<String, String> errors = new LinkedHashMap<>();
        IngressTrunkSpec spec = spec(request, id, errors);
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        audit.record(ApiCaller.name(), "update", "ingress_trunk", String.valueOf(id), spec.name(), http.getRemoteAddr());
        return ResponseEntity.ok(trunks.update(id, spec).orElseThrow());
    }

    /** Disables the trunk: its traffic is refused from now on; nothing is deleted. */
    @DeleteMapping("/{id}")
    public ResponseEntity<Object> disable(@PathVariable long id, HttpServletRequest http) {
        return trunks.setEnabled(id, false).<ResponseEntity<Object>>map(t -> {
            audit.record(ApiCaller.name(), "disable", "ingress_trunk", String.valueOf(id), t.name(), http.getRemoteAddr());
            return ResponseEntity.ok(t);
        }).orElseGet(() -> ApiError.notFound("ingress trunk", id));
    }

    private IngressTrunkSpec spec(TrunkRequest request, Long id, Map<String, String> errors) {
        Optional<Account> account = request.accountId() == null ? Optional.empty() : accounts.find(request.accountId());
        if (request.accountId() == null) {
            errors.put("accountId", "required");
        } else if (account.isEmpty()) {
            errors.put("accountId", "no account " + request.accountId());
        } else if (!account.get().kind().buys()) {
            errors.put("accountId", "account " + request.accountId() + " is a vendor; ingress trunks belong to customers");
        }
        if (request.sellDeckId() != null) {
            String problem = sellDeckProblem(request.sellDeckId(), account);
            if (problem != null) {
                errors.put("sellDeckId", problem);
            }
        }
        if (request.routingProfileId() != null && profiles.find(request.routingProfileId()).isEmpty()) {
            errors.put("routingProfileId", "no routing profile " + request.routingProfileId());
        }
        FieldParsing fields = new FieldParsing(errors);
        MediaMode mediaMode = fields.choice("mediaMode", request.mediaMode(), MediaMode::ofCode, "relay, bypass", MediaMode.RELAY);
        AssertedIdentity assertedIdentity = fields.choice("assertedIdentity", request.assertedIdentity(), AssertedIdentity::ofCode,
                "pass, strip, caller", AssertedIdentity.PASS);
        IngressTrunkSpec spec = new IngressTrunkSpec(request.accountId() == null ? 0 : request.accountId(),
                request.name() == null ? null : request.name().trim(), request.sourceCidrs(), request.techPrefix(),
                request.calleeTranslations(), request.callerTranslations(), request.routingProfileId(), request.sellDeckId(),
                mediaMode, assertedIdentity, request.maxCps(), request.maxConcurrentCalls(), request.enabled() == null || request.enabled(),
                request.digestUsers(), request.digestMd5() == null || request.digestMd5());
        errors.putAll(ProvisioningValidation.trunk(spec));
        if (spec.name() != null && trunks.nameTaken(spec.name(), id)) {
            errors.put("name", "an ingress trunk with this name exists");
        }
        if (request.digestUsers() != null) {
            for (int i = 0; i < request.digestUsers().size(); i++) {
                String username = request.digestUsers().get(i).username();
                if (username != null && trunks.digestUserTaken(username, id)) {
                    errors.put("digestUsers[" + i + "].username", "used by another trunk");
                }
            }
        }
        return spec;
    }

    /**
     * Null if the deck may rate this trunk's calls: a sell deck of the trunk's own account, priced
     * in the account's currency. Another customer's deck would leak its prices into this
     * customer's bills, a buy deck is a vendor's cost, and a deck in another currency would debit
     * the balance in the wrong unit.
     */
    private String sellDeckProblem(long deckId, Optional<Account> account) {
        Optional<RateDeck> deck = decks.find(deckId);
        if (deck.isEmpty()) {
            return "no rate deck " + deckId;
        }
        if (deck.get().direction() != DeckDirection.SELL) {
            return "deck " + deckId + " is a buy deck; a trunk's calls are priced by a sell deck";
        }
        if (account.isPresent() && deck.get().accountId() != account.get().id()) {
            return "deck " + deckId + " belongs to account " + deck.get().accountId() + ", not to this trunk's account";
        }
        if (account.isPresent() && !deck.get().currency().equals(account.get().currency())) {
            return "deck " + deckId + " is priced in " + deck.get().currency() + " but the account is in " + account.get().currency();
        }
        return null;
    }
}
