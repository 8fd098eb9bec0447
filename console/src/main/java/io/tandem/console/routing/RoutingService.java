package io.tandem.console.routing;

import io.tandem.console.api.FieldParsing;
import io.tandem.console.change.ChangeLog;
import io.tandem.console.change.CurrentActor;
import io.tandem.console.change.FieldChanges;
import io.tandem.console.service.Outcome;
import io.tandem.console.change.Permission;
import io.tandem.console.cluster.RoutingChanges;
import io.tandem.routing.RoutingRule;
import io.tandem.routing.RoutingRuleSpec;
import io.tandem.routing.persistence.BlockedDestinationRepository;
import io.tandem.routing.persistence.BlockedDestinationRepository.BlockedDestination;
import io.tandem.routing.persistence.RoutingRuleRepository;
import io.tandem.routing.provisioning.ProvisionedRoutingProfile;
import io.tandem.routing.provisioning.ProvisioningValidation;
import io.tandem.routing.provisioning.RoutingProfileSpec;
import io.tandem.routing.provisioning.persistence.RoutingProfileRepository;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Routing profiles (strategy, margins), their vendor lists and customers' blocked destinations, for
 * the REST API and the console: validation, role check, audit with the fields changed, and one
 * place that announces every routing change to this node's route table and to the peers.
 */
@Service
// a change and its audit entry commit together or not at all; peers hear of it after the commit
@Transactional
public class RoutingService {

    /** The strategies a profile may name, as stored. */
    public static final List<String> STRATEGIES = List.of("lcr", "priority", "weighted", "quality");

    private final RoutingProfileRepository profiles;
    private final RoutingRuleRepository rules;
    private final BlockedDestinationRepository blocked;
    private final CurrentActor actor;
    private final ChangeLog changeLog;
    private final RoutingChanges routingChanges;

    public RoutingService(RoutingProfileRepository profiles, RoutingRuleRepository rules, BlockedDestinationRepository blocked,
                          CurrentActor actor, ChangeLog changeLog, RoutingChanges routingChanges) {
        this.profiles = profiles;
        this.rules = rules;
        this.blocked = blocked;
        this.actor = actor;
        this.changeLog = changeLog;
        this.routingChanges = routingChanges;
    }

    // ---- profiles

    public List<ProfileView> profiles(int offset, int limit) {
        actor.require(Permission.READ_PROVISIONING);
        return profiles.list(Math.max(0, offset), Math.clamp(limit, 1, 1000)).stream().map(ProfileView::of).toList();
    }

    public Optional<ProfileView> profile(long id) {
        actor.require(Permission.READ_PROVISIONING);
        return profiles.find(id).map(ProfileView::of);
    }

    public Outcome<ProfileView> createProfile(ProfileRequest request) {
        actor.require(Permission.CHANGE_PROVISIONING);
        Map<String, String> errors = new LinkedHashMap<>();
        RoutingProfileSpec spec = profileSpec(request, null, errors);
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        ProvisionedRoutingProfile profile = profiles.create(spec);
        changeLog.record("create", "routing_profile", profile.id(), profile.name());
        routingChanges.announce("routing profile " + profile.id());
        return Outcome.done(ProfileView.of(profile));
    }

    /** Replaces every field with the request's (a {@code PUT} merges the body onto {@link ProfileRequest#of} first). */
    public Outcome<ProfileView> updateProfile(long id, ProfileRequest request) {
        actor.require(Permission.CHANGE_PROVISIONING);
        Optional<ProvisionedRoutingProfile> current = profiles.find(id);
        if (current.isEmpty()) {
            return Outcome.notFound("routing profile", id);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        RoutingProfileSpec spec = profileSpec(request, id, errors);
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        ProfileView updated = ProfileView.of(profiles.update(id, spec).orElseThrow());
        changeLog.record("update", "routing_profile", id, updated.name()
                + FieldChanges.describe(ProfileRequest.of(ProfileView.of(current.get())), ProfileRequest.of(updated), Set.of()));
        routingChanges.announce("routing profile " + id);
        return Outcome.done(updated);
    }

    private RoutingProfileSpec profileSpec(ProfileRequest request, Long id, Map<String, String> errors) {
        FieldParsing fields = new FieldParsing(errors);
        BigDecimal minMargin = fields.money("minMargin", request.minMargin());
        BigDecimal minMarginPercent = null;
        if (request.minMarginPercent() != null) {
            try {
                minMarginPercent = new BigDecimal(request.minMarginPercent());
            } catch (NumberFormatException e) {
                errors.put("minMarginPercent", "a number between 0 and 100");
            }
        }
        RoutingProfileSpec spec = new RoutingProfileSpec(request.name() == null ? null : request.name().trim(),
                request.strategy() == null ? "lcr" : request.strategy(), minMargin, minMarginPercent,
                Boolean.TRUE.equals(request.allowLoss()), request.maxAttempts() == null ? 5 : request.maxAttempts());
        errors.putAll(ProvisioningValidation.profile(spec));
        if (spec.name() != null && profiles.nameTaken(spec.name(), id)) {
            errors.put("name", "a routing profile with this name exists");
        }
        return spec;
    }

    // ---- a profile's vendor list

    public Outcome<List<RuleView>> rules(long profileId) {
        actor.require(Permission.READ_PROVISIONING);
        return rules.list(profileId).<Outcome<List<RuleView>>>map(list -> Outcome.done(list.stream().map(RuleView::of).toList()))
                .orElseGet(() -> Outcome.notFound("routing profile", profileId));
    }

    public Outcome<List<RuleView>> replaceRules(long profileId, List<RuleRequest> request) {
        actor.require(Permission.CHANGE_PROVISIONING);
        if (!rules.profileExists(profileId)) {
            return Outcome.notFound("routing profile", profileId);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        List<RoutingRuleSpec> specs = new ArrayList<>();
        for (int i = 0; i < request.size(); i++) {
            RoutingRuleSpec spec = ruleSpec(request.get(i), "[" + i + "].", errors);
            errors.putAll(rules.validate(spec, "[" + i + "]."));
            specs.add(spec);
        }
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        List<RoutingRule> saved = rules.replace(profileId, specs).orElseThrow();
        changeLog.record("replace", "routing_rule", profileId, saved.size() + " rule(s)");
        routingChanges.announce("vendor list of profile " + profileId);
        return Outcome.done(saved.stream().map(RuleView::of).toList());
    }

    public Outcome<RuleView> addRule(long profileId, RuleRequest request) {
        actor.require(Permission.CHANGE_PROVISIONING);
        if (!rules.profileExists(profileId)) {
            return Outcome.notFound("routing profile", profileId);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        RoutingRuleSpec spec = ruleSpec(request, "", errors);
        errors.putAll(rules.validate(spec, ""));
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        RoutingRule rule = rules.add(profileId, spec).orElseThrow();
        changeLog.record("create", "routing_rule", rule.id(), "profile " + profileId + "; " + RuleView.of(rule));
        routingChanges.announce("vendor list of profile " + profileId);
        return Outcome.done(RuleView.of(rule));
    }

    public Outcome<Long> deleteRule(long profileId, long ruleId) {
        actor.require(Permission.CHANGE_PROVISIONING);
        if (!rules.delete(profileId, ruleId)) {
            return Outcome.notFound("routing rule", ruleId);
        }
        changeLog.record("delete", "routing_rule", ruleId, "profile " + profileId);
        routingChanges.announce("vendor list of profile " + profileId);
        return Outcome.done(ruleId);
    }

    private static RoutingRuleSpec ruleSpec(RuleRequest request, String field, Map<String, String> errors) {
        BigDecimal ceiling = null;
        if (request.rateCeiling() != null) {
            try {
                ceiling = new BigDecimal(request.rateCeiling());
            } catch (NumberFormatException e) {
                errors.put(field + "rateCeiling", "a decimal amount such as \"0.012500\"");
            }
        }
        return new RoutingRuleSpec(request.prefix(), request.vendorAccountId(), request.vendorGatewayId(), request.priority(),
                request.weight(), ceiling, request.enabled());
    }

    // ---- blocked destinations

    public Outcome<List<BlockedDestination>> blocked(long accountId) {
        actor.require(Permission.READ_PROVISIONING);
        return blocked.list(accountId).<Outcome<List<BlockedDestination>>>map(Outcome::done)
                .orElseGet(() -> Outcome.notFound("account", accountId));
    }

    public Outcome<BlockedDestination> block(long accountId, String prefix, String reason) {
        actor.require(Permission.CHANGE_PROVISIONING);
        if (blocked.list(accountId).isEmpty()) {
            return Outcome.notFound("account", accountId);
        }
        String trimmed = prefix == null ? null : prefix.trim();
        Map<String, String> errors = blocked.validate(accountId, trimmed, reason);
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        BlockedDestination saved = blocked.add(accountId, trimmed, reason);
        changeLog.record("create", "blocked_destination", saved.id(), "account " + accountId + " prefix " + trimmed);
        routingChanges.announce("blocked destinations of account " + accountId);
        return Outcome.done(saved);
    }

    public Outcome<Long> unblock(long accountId, long blockedId) {
        actor.require(Permission.CHANGE_PROVISIONING);
        if (!blocked.delete(accountId, blockedId)) {
            return Outcome.notFound("blocked destination", blockedId);
        }
        changeLog.record("delete", "blocked_destination", blockedId, "account " + accountId);
        routingChanges.announce("blocked destinations of account " + accountId);
        return Outcome.done(blockedId);
    }
}
