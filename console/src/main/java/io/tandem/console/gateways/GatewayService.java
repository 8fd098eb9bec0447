package io.tandem.console.gateways;

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
import io.tandem.routing.provisioning.DnsLookup;
import io.tandem.routing.provisioning.MediaMode;
import io.tandem.routing.provisioning.ProvisioningValidation;
import io.tandem.routing.provisioning.SipTransport;
import io.tandem.routing.provisioning.VendorGateway;
import io.tandem.routing.provisioning.VendorGatewaySpec;
import io.tandem.routing.provisioning.persistence.GatewayRepository;
import io.tandem.routing.provisioning.persistence.TrunkRepository;
import io.tandem.routing.provisioning.IngressTrunk;
import io.tandem.billing.account.AccountKind;
import io.tandem.softswitch.call.quality.QualityStats;
import io.tandem.softswitch.call.quality.VendorBreakers;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Vendors' gateways for the REST API and the console: validation, role check, audit with the
 * fields changed, the announcement to peers; and each gateway's breaker and quality on this node.
 */
@Service
// a change and its audit entry commit together or not at all; peers hear of it after the commit
@Transactional
public class GatewayService {

    private final GatewayRepository gateways;
    private final TrunkRepository trunks;
    private final AccountRepository accounts;
    private final CurrentActor actor;
    private final AccountChoices choices;
    private final ChangeLog changeLog;
    private final RoutingChanges routingChanges;
    private final ObjectProvider<VendorBreakers> breakers;
    private final ObjectProvider<QualityStats> quality;

    public GatewayService(GatewayRepository gateways, TrunkRepository trunks, AccountRepository accounts, CurrentActor actor,
                          ChangeLog changeLog, RoutingChanges routingChanges, ObjectProvider<VendorBreakers> breakers,
                          ObjectProvider<QualityStats> quality) {
        this.gateways = gateways;
        this.trunks = trunks;
        this.accounts = accounts;
        this.actor = actor;
        this.choices = new AccountChoices(accounts, actor);
        this.changeLog = changeLog;
        this.routingChanges = routingChanges;
        this.breakers = breakers;
        this.quality = quality;
    }

    public List<VendorGateway> list(Long accountId, int offset, int limit) {
        return search(accountId, "", offset, limit);
    }

    /** Gateways whose name or host contains {@code text} (any case; blank = all); longer text than any name is cut. */
    public List<VendorGateway> search(Long accountId, String text, int offset, int limit) {
        actor.require(Permission.READ_PROVISIONING);
        String wanted = text == null ? "" : text.strip();
        return gateways.search(accountId, wanted.substring(0, Math.min(wanted.length(), 255)), Math.max(0, offset),
                Math.clamp(limit, 1, 1000));
    }

    public Optional<VendorGateway> find(long id) {
        actor.require(Permission.READ_PROVISIONING);
        return gateways.find(id);
    }

    /**
     * One page of the vendor accounts (kind vendor or both) a gateway or a routing rule may name whose name
     * contains {@code text} (any case; blank = all), by name: what an account picker shows as the user types.
     */
    public List<Account> vendorAccounts(String text, int offset, int limit) {
        return choices.search(AccountKind.VENDOR, text, offset, limit);
    }

    public int countVendorAccounts(String text) {
        return choices.count(AccountKind.VENDOR, text);
    }

    /** The account a gateway belongs to, to show it in an editor. */
    public Optional<Account> account(long id) {
        return choices.find(id);
    }

    /** Names of these accounts: the labels of one page of gateways or rules. */
    public Map<Long, String> accountNames(Collection<Long> ids) {
        return choices.names(ids);
    }

    public Outcome<VendorGateway> create(GatewayRequest request) {
        actor.require(Permission.CHANGE_PROVISIONING);
        Map<String, String> errors = new LinkedHashMap<>();
        VendorGatewaySpec spec = spec(request, null, errors);
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        VendorGateway gateway = gateways.create(spec);
        changeLog.record("create", "vendor_gateway", gateway.id(), gateway.name());
        routingChanges.announce("vendor gateway " + gateway.id());
        return Outcome.done(gateway);
    }

    /** Replaces every field with the request's (a {@code PUT} merges the body onto {@link GatewayRequest#of} first). */
    public Outcome<VendorGateway> update(long id, GatewayRequest request) {
        actor.require(Permission.CHANGE_PROVISIONING);
        Optional<VendorGateway> current = gateways.find(id);
        if (current.isEmpty()) {
            return Outcome.notFound("vendor gateway", id);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        VendorGatewaySpec spec = spec(request, id, errors);
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        VendorGateway updated = gateways.update(id, spec).orElseThrow();
        changeLog.record("update", "vendor_gateway", id,
                updated.name() + FieldChanges.describe(GatewayRequest.of(current.get()), GatewayRequest.of(updated), Set.of()));
        routingChanges.announce("vendor gateway " + id);
        return Outcome.done(updated);
    }

    /** Disables (false) or re-enables the gateway; routing stops or resumes using it; nothing is deleted. */
    public Outcome<VendorGateway> setEnabled(long id, boolean enabled) {
        actor.require(Permission.CHANGE_PROVISIONING);
        Optional<VendorGateway> gateway = gateways.setEnabled(id, enabled);
        if (gateway.isEmpty()) {
            return Outcome.notFound("vendor gateway", id);
        }
        changeLog.record(enabled ? "enable" : "disable", "vendor_gateway", id, gateway.get().name());
        routingChanges.announce("vendor gateway " + id);
        return Outcome.done(gateway.get());
    }

    /** The gateway's breaker state and ASR/ACD/PDD over its last attempts on this node. */
    public GatewayHealth health(long gatewayId) {
        actor.require(Permission.READ_PROVISIONING);
        VendorBreakers nodeBreakers = breakers.getIfAvailable();
        QualityStats nodeQuality = quality.getIfAvailable();
        if (nodeBreakers == null || nodeQuality == null) {
            return new GatewayHealth(gatewayId, GatewayHealth.SIP_DISABLED, 0, 0, 0, 0);
        }
        String state = nodeBreakers.states().getOrDefault(gatewayId, GatewayHealth.NO_TRAFFIC);
        QualityStats.Snapshot s = nodeQuality.gateway(gatewayId);
        return new GatewayHealth(gatewayId, state, s.attempts(), s.asrPercent(), s.acdSeconds(), s.pddMillis());
    }

    /** Closes the gateway's breaker on this node by hand (the vendor says it is fixed); audited. */
    public Outcome<GatewayHealth> resetBreaker(long gatewayId) {
        actor.require(Permission.CHANGE_PROVISIONING);
        Optional<VendorGateway> gateway = gateways.find(gatewayId);
        if (gateway.isEmpty()) {
            return Outcome.notFound("vendor gateway", gatewayId);
        }
        VendorBreakers nodeBreakers = breakers.getIfAvailable();
        if (nodeBreakers == null) {
            return Outcome.invalid(Map.of("breaker", "SIP is disabled on this node: it has no breakers"));
        }
        String before = nodeBreakers.states().getOrDefault(gatewayId, GatewayHealth.NO_TRAFFIC);
        nodeBreakers.reset(gatewayId);
        changeLog.record("reset-breaker", "vendor-gateway", gatewayId, gateway.get().name() + "; breaker " + before + " -> CLOSED");
        return Outcome.done(health(gatewayId));
    }

    private VendorGatewaySpec spec(GatewayRequest request, Long id, Map<String, String> errors) {
        if (request.accountId() == null) {
            errors.put("accountId", "required");
        } else {
            Optional<Account> account = accounts.find(request.accountId());
            if (account.isEmpty()) {
                errors.put("accountId", "no account " + request.accountId());
            } else if (!account.get().kind().sells()) {
                errors.put("accountId", "account " + request.accountId() + " is a customer; gateways belong to vendors");
            }
        }
        FieldParsing fields = new FieldParsing(errors);
        SipTransport transport = fields.choice("transport", request.transport(), SipTransport::ofCode, "udp, tcp, tls",
                SipTransport.UDP);
        DnsLookup dnsLookup = fields.choice("dnsLookup", request.dnsLookup(), DnsLookup::ofCode, "address, srv, naptr",
                DnsLookup.ADDRESS);
        String host = request.host();
        if (request.registeredTrunkId() != null) {
            Optional<IngressTrunk> trunk = trunks.find(request.registeredTrunkId());
            Optional<Account> account = request.accountId() == null ? Optional.empty() : accounts.find(request.accountId());
            if (trunk.isEmpty()) {
                errors.put("registeredTrunkId", "no ingress trunk " + request.registeredTrunkId());
            } else if (request.accountId() == null || trunk.get().accountId() != request.accountId()) {
                errors.put("registeredTrunkId", "trunk " + trunk.get().name() + " belongs to another account");
            } else if (account.isPresent() && account.get().kind() != AccountKind.BOTH) {
                errors.put("registeredTrunkId", "only an account of kind both is reached at its registered contact");
            } else {
                // host is not used for such a gateway; it shows which trunk it reaches in lists and searches
                host = trunk.get().name();
            }
        }
        MediaMode mediaMode = fields.choice("mediaMode", request.mediaMode(), MediaMode::ofCode, "relay, auto, bypass", MediaMode.BYPASS);
        VendorGatewaySpec spec = new VendorGatewaySpec(request.accountId() == null ? 0 : request.accountId(),
                request.name() == null ? null : request.name().trim(), host,
                request.port() == null ? (transport == SipTransport.TLS ? 5061 : 5060) : request.port(), transport, dnsLookup,
                request.techPrefix(), request.priority() == null ? 100 : request.priority(),
                request.weight() == null ? 100 : request.weight(), request.maxCps(), request.maxConcurrentCalls(),
                request.failoverCodes(), request.enabled() == null || request.enabled(), request.registeredTrunkId(), mediaMode);
        errors.putAll(ProvisioningValidation.gateway(spec));
        if (spec.name() != null && gateways.nameTaken(spec.name(), id)) {
            errors.put("name", "a vendor gateway with this name exists");
        }
        return spec;
    }
}
