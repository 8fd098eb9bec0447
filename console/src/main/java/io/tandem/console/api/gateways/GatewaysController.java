package io.tandem.console.api.gateways;

import io.tandem.billing.account.Account;
import io.tandem.billing.persistence.AccountRepository;
import io.tandem.console.api.ApiCaller;
import io.tandem.console.api.ApiError;
import io.tandem.console.api.FieldParsing;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.routing.provisioning.DnsLookup;
import io.tandem.routing.provisioning.ProvisioningValidation;
import io.tandem.routing.provisioning.SipTransport;
import io.tandem.routing.provisioning.VendorGateway;
import io.tandem.routing.provisioning.VendorGatewaySpec;
import io.tandem.routing.provisioning.persistence.GatewayRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/** Vendors' gateways: where and how we send their calls, limits and failover codes. */
@RestController
@RequestMapping("/api/v1/vendor-gateways")
public class GatewaysController {

    private final GatewayRepository gateways;
    private final AccountRepository accounts;
    private final AuditLogRepository audit;

    public GatewaysController(GatewayRepository gateways, AccountRepository accounts, AuditLogRepository audit) {
        this.gateways = gateways;
        this.accounts = accounts;
        this.audit = audit;
    }

    public record GatewayRequest(Long accountId, String name, String host, Integer port, String transport, String techPrefix,
                                 Integer priority, Integer weight, Integer maxCps, Integer maxConcurrentCalls,
                                 List<Integer> failoverCodes, Boolean enabled, String dnsLookup) {
    }

    @GetMapping
    public List<VendorGateway> list(@RequestParam(required = false) Long accountId, @RequestParam(defaultValue = "0") int offset,
                                    @RequestParam(defaultValue = "100") int limit) {
        return gateways.list(accountId, Math.max(0, offset), Math.clamp(limit, 1, 1000));
    }

    @GetMapping("/{id}")
    public ResponseEntity<Object> get(@PathVariable long id) {
        return gateways.find(id).<ResponseEntity<Object>>map(ResponseEntity::ok).orElseGet(() -> ApiError.notFound("vendor gateway", id));
    }

    @PostMapping
    public ResponseEntity<Object> create(@RequestBody GatewayRequest request, HttpServletRequest http) {
        Map<String, String> errors = new LinkedHashMap<>();
        VendorGatewaySpec spec = spec(request, null, errors);
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        VendorGateway gateway = gateways.create(spec);
        audit.record(ApiCaller.name(), "create", "vendor_gateway", String.valueOf(gateway.id()), gateway.name(), http.getRemoteAddr());
        return ResponseEntity.created(URI.create("/api/v1/vendor-gateways/" + gateway.id())).body(gateway);
    }

    @PutMapping("/{id}")
    public ResponseEntity<Object> update(@PathVariable long id, @RequestBody GatewayRequest request, HttpServletRequest http) {
        if (gateways.find(id).isEmpty()) {
            return ApiError.notFound("vendor gateway", id);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        VendorGatewaySpec spec = spec(request, id, errors);
        if (!errors.isEmpty()) {
            return ApiError.invalid(errors);
        }
        audit.record(ApiCaller.name(), "update", "vendor_gateway", String.valueOf(id), spec.name(), http.getRemoteAddr());
        return ResponseEntity.ok(gateways.update(id, spec).orElseThrow());
    }

    /** Disables the gateway: routing stops using it; nothing is deleted. */
    @DeleteMapping("/{id}")
    public ResponseEntity<Object> disable(@PathVariable long id, HttpServletRequest http) {
        return gateways.setEnabled(id, false).<ResponseEntity<Object>>map(g -> {
            audit.record(ApiCaller.name(), "disable", "vendor_gateway", String.valueOf(id), g.name(), http.getRemoteAddr());
            return ResponseEntity.ok(g);
        }).orElseGet(() -> ApiError.notFound("vendor gateway", id));
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
        VendorGatewaySpec spec = new VendorGatewaySpec(request.accountId() == null ? 0 : request.accountId(),
                request.name() == null ? null : request.name().trim(), request.host(),
                request.port() == null ? (transport == SipTransport.TLS ? 5061 : 5060) : request.port(), transport, dnsLookup,
                request.techPrefix(), request.priority() == null ? 100 : request.priority(),
                request.weight() == null ? 100 : request.weight(), request.maxCps(), request.maxConcurrentCalls(),
                request.failoverCodes(), request.enabled() == null || request.enabled());
        errors.putAll(ProvisioningValidation.gateway(spec));
        if (spec.name() != null && gateways.nameTaken(spec.name(), id)) {
            errors.put("name", "a vendor gateway with this name exists");
        }
        return spec;
    }
}
