package io.tandem.console.trunks;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.console.accounts.AccountChoices;
import io.tandem.billing.persistence.AccountRepository;
import io.tandem.console.api.FieldParsing;
import io.tandem.console.change.ChangeLog;
import io.tandem.console.change.CurrentActor;
import io.tandem.console.change.FieldChanges;
import io.tandem.console.service.Outcome;
import io.tandem.console.change.Permission;
import io.tandem.console.cluster.RoutingChanges;
import io.tandem.routing.DeckDirection;
import io.tandem.routing.deck.RateDeck;
import io.tandem.routing.normalize.NormalizedCall;
import io.tandem.routing.normalize.NumberNormalizer;
import io.tandem.routing.normalize.TranslationRule;
import io.tandem.routing.persistence.RateDeckRepository;
import io.tandem.routing.provisioning.AssertedIdentity;
import io.tandem.routing.provisioning.IngressTrunk;
import io.tandem.routing.provisioning.IngressTrunkSpec;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.routing.provisioning.ProvisioningValidation;
import io.tandem.routing.provisioning.TranslationRuleSpec;
import io.tandem.routing.provisioning.persistence.RoutingProfileRepository;
import io.tandem.routing.provisioning.persistence.TrunkRepository;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Customers' ingress trunks for the REST API and the console alike: validation, the role check,
 * the audit entry with the actor's name and the fields changed, and the announcement to peers.
 */
@Service
// a change and its audit entry commit together or not at all; peers hear of it after the commit
@Transactional
public class TrunkService {

    /** Longest number the "test a number" box takes. */
    public static final int MAX_TEST_NUMBER = 64;

    private final TrunkRepository trunks;
    private final AccountRepository accounts;
    private final RoutingProfileRepository profiles;
    private final RateDeckRepository decks;
    private final CurrentActor actor;
    private final AccountChoices choices;
    private final ChangeLog changeLog;
    private final RoutingChanges routingChanges;

    public TrunkService(TrunkRepository trunks, AccountRepository accounts, RoutingProfileRepository profiles, RateDeckRepository decks,
                        CurrentActor actor, ChangeLog changeLog, RoutingChanges routingChanges) {
        this.trunks = trunks;
        this.accounts = accounts;
        this.profiles = profiles;
        this.decks = decks;
        this.actor = actor;
        this.choices = new AccountChoices(accounts, actor);
        this.changeLog = changeLog;
        this.routingChanges = routingChanges;
    }

    public List<IngressTrunk> list(Long accountId, int offset, int limit) {
        return search(accountId, "", offset, limit);
    }

    /** Trunks whose name contains {@code text} (any case; blank = all); longer text than any name is cut. */
    public List<IngressTrunk> search(Long accountId, String text, int offset, int limit) {
        actor.require(Permission.READ_PROVISIONING);
        String wanted = text == null ? "" : text.strip();
        return trunks.search(accountId, wanted.substring(0, Math.min(wanted.length(), 128)), Math.max(0, offset),
                Math.clamp(limit, 1, 1000));
    }

    public Optional<IngressTrunk> find(long id) {
        actor.require(Permission.READ_PROVISIONING);
        return trunks.find(id);
    }

    /**
     * One page of the customer accounts (kind customer or both) a trunk may belong to whose name contains
     * {@code text} (any case; blank = all), by name: what an account picker shows as the user types.
     */
    public List<Account> customerAccounts(String text, int offset, int limit) {
        return choices.search(AccountKind.CUSTOMER, text, offset, limit);
    }

    public int countCustomerAccounts(String text) {
        return choices.count(AccountKind.CUSTOMER, text);
    }

    /** The account a trunk belongs to, to show it in an editor. */
    public Optional<Account> account(long id) {
        return choices.find(id);
    }

    /** Names of these accounts: the labels of one page of trunks. */
    public Map<Long, String> accountNames(Collection<Long> ids) {
        return choices.names(ids);
    }

    /** The account's sell decks, which may price a trunk's calls. */
    public List<RateDeck> sellDecks(long accountId) {
        actor.require(Permission.READ_PROVISIONING);
        return decks.list(accountId, 0, 200).stream().filter(d -> d.direction() == DeckDirection.SELL).toList();
    }

    public Outcome<IngressTrunk> create(TrunkRequest request) {
        actor.require(Permission.CHANGE_PROVISIONING);
        Map<String, String> errors = new LinkedHashMap<>();
        IngressTrunkSpec spec = spec(request, null, errors);
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        IngressTrunk trunk = trunks.create(spec);
        changeLog.record("create", "ingress_trunk", trunk.id(), trunk.name());
        routingChanges.announce("ingress trunk " + trunk.id());
        return Outcome.done(trunk);
    }

    /** Replaces every field with the request's; digest users only when the request names them. */
    public Outcome<IngressTrunk> update(long id, TrunkRequest request) {
        actor.require(Permission.CHANGE_PROVISIONING);
        Optional<IngressTrunk> current = trunks.find(id);
        if (current.isEmpty()) {
            return Outcome.notFound("ingress trunk", id);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        IngressTrunkSpec spec = spec(request, id, errors);
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        IngressTrunk updated = trunks.update(id, spec).orElseThrow();
        String digest = request.digestUsers() == null ? "" : "; digest users replaced";
        changeLog.record("update", "ingress_trunk", id,
                updated.name() + FieldChanges.describe(TrunkRequest.of(current.get()), TrunkRequest.of(updated), Set.of()) + digest);
        routingChanges.announce("ingress trunk " + id);
        return Outcome.done(updated);
    }

    /** Disables (false) or re-enables the trunk; a disabled trunk's traffic is refused, nothing is deleted. */
    public Outcome<IngressTrunk> setEnabled(long id, boolean enabled) {
        actor.require(Permission.CHANGE_PROVISIONING);
        if (enabled) {
            Optional<IngressTrunk> current = trunks.find(id);
            if (current.isPresent() && !current.get().enabled()) {
                Map<String, String> errors = new LinkedHashMap<>();
                sameAddressesAsAnotherTrunk(current.get().sourceCidrs(), id, errors);
                if (!errors.isEmpty()) {
                    return Outcome.invalid(errors);
                }
            }
        }
        Optional<IngressTrunk> trunk = trunks.setEnabled(id, enabled);
        if (trunk.isEmpty()) {
            return Outcome.notFound("ingress trunk", id);
        }
        changeLog.record(enabled ? "enable" : "disable", "ingress_trunk", id, trunk.get().name());
        routingChanges.announce("ingress trunk " + id);
        return Outcome.done(trunk.get());
    }

    /**
     * Runs a number through a tech prefix and translation rules exactly as the softswitch
     * normalizes an incoming call, so an operator sees what a rule does before saving it.
     */
    public NumberTest testNumber(String techPrefix, List<TranslationRuleSpec> calleeRules, List<TranslationRuleSpec> callerRules,
                                 String callee, String caller) {
        actor.require(Permission.READ_PROVISIONING);
        if (callee == null || callee.length() > MAX_TEST_NUMBER || caller != null && caller.length() > MAX_TEST_NUMBER) {
            return new NumberTest(false, "", "", List.of(), "a number of at most " + MAX_TEST_NUMBER + " characters");
        }
        List<TranslationRule> callees = new ArrayList<>();
        List<TranslationRule> callers = new ArrayList<>();
        try {
            for (TranslationRuleSpec rule : calleeRules) {
                callees.add(TranslationRule.of(rule.match(), rule.replace()));
            }
            for (TranslationRuleSpec rule : callerRules) {
                callers.add(TranslationRule.of(rule.match(), rule.replace()));
            }
        } catch (PatternSyntaxException e) {
            return new NumberTest(false, callee, caller == null ? "" : caller, List.of(), "a rule is not a valid pattern: " + e.getDescription());
        } catch (IllegalArgumentException e) {
            return new NumberTest(false, callee, caller == null ? "" : caller, List.of(), e.getMessage());
        }
        NormalizedCall result = new NumberNormalizer(techPrefix, callees, callers).normalize(callee.strip(), caller == null ? "" : caller.strip());
        return new NumberTest(result.techPrefixMatched(), result.callee(), result.caller(), result.steps(),
                result.techPrefixMatched() ? null : "the number does not start with the tech prefix " + techPrefix);
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
        MediaMode mediaMode = fields.choice("mediaMode", request.mediaMode(), MediaMode::ofCode, "relay, auto, bypass", MediaMode.RELAY);
        AssertedIdentity assertedIdentity = fields.choice("assertedIdentity", request.assertedIdentity(), AssertedIdentity::ofCode,
                "pass, strip, caller", AssertedIdentity.PASS);
        IngressTrunkSpec spec = new IngressTrunkSpec(request.accountId() == null ? 0 : request.accountId(),
                request.name() == null ? null : request.name().trim(), request.sourceCidrs(), request.techPrefix(),
                request.calleeTranslations(), request.callerTranslations(), request.routingProfileId(), request.sellDeckId(),
                mediaMode, assertedIdentity, request.maxCps(), request.maxConcurrentCalls(), request.enabled() == null || request.enabled(),
                request.digestUsers(), request.digestMd5() == null || request.digestMd5());
        errors.putAll(ProvisioningValidation.trunk(spec));
        if (spec.enabled() && spec.sourceCidrs() != null && errors.keySet().stream().noneMatch(k -> k.startsWith("sourceCidrs"))) {
            sameAddressesAsAnotherTrunk(spec.sourceCidrs(), id, errors);
        }
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
     * Two enabled trunks with the same network would split nothing: the switch takes the first for every call
     * from it, silently. A wider or narrower network of another trunk stays allowed (the most specific wins).
     */
    private void sameAddressesAsAnotherTrunk(List<String> cidrs, Long id, Map<String, String> errors) {
        Map<String, String> owners = new java.util.HashMap<>();
        trunks.enabledSourceCidrs(id).forEach((name, theirs) -> {
            for (String cidr : theirs) {
                if (ProvisioningValidation.cidrProblem(cidr) == null) {
                    owners.putIfAbsent(ProvisioningValidation.canonicalCidr(cidr), name);
                }
            }
        });
        for (int i = 0; i < cidrs.size(); i++) {
            String owner = owners.get(ProvisioningValidation.canonicalCidr(cidrs.get(i)));
            if (owner != null) {
                errors.put("sourceCidrs[" + i + "]", cidrs.get(i).trim() + " already identifies the enabled trunk '" + owner
                        + "'; one network can belong to one enabled trunk (disable that one first, or use digest users)");
            }
        }
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
