package io.tandem.console.api.routing;

import io.tandem.console.api.ApiError;
import io.tandem.routing.NoRoute;
import io.tandem.routing.RouteDecision;
import io.tandem.routing.RouteExplanation;
import io.tandem.routing.RouteResult;
import io.tandem.routing.SkippedVendor;
import io.tandem.routing.VendorCandidate;
import io.tandem.routing.reload.RouteTableHolder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The route simulator: {@code GET /api/v1/routes/explain?trunk=&number=[&caller=][&at=][&format=text]}
 * routes a call on this node's current table without placing it, and says why.
 */
@RestController
@RequestMapping("/api/v1/routes")
public class RoutesController {

    private final RouteTableHolder routeTable;
    private final Clock clock;

    public RoutesController(RouteTableHolder routeTable, Clock clock) {
        this.routeTable = routeTable;
        this.clock = clock;
    }

    public record CandidateView(int order, long vendorAccountId, String vendorName, long gatewayId, String gatewayName,
                                String host, int port, String transport, RateView buyRate, String margin) {
        static CandidateView of(int order, VendorCandidate c) {
            return new CandidateView(order, c.vendorAccountId(), c.vendorName(), c.gateway().id(), c.gateway().name(),
                    c.gateway().host(), c.gateway().port(), c.gateway().transport(), RateView.of(c.buyRate()), c.margin().toPlainString());
        }
    }

    public record SkippedView(long vendorAccountId, String vendorName, Long gatewayId, long ruleId, String reason, String detail,
                              RateView buyRate) {
        static SkippedView of(SkippedVendor s) {
            return new SkippedView(s.vendorAccountId(), s.vendorName(), s.gatewayId(), s.ruleId(), s.reason().name(), s.detail(),
                    RateView.of(s.buyRate()));
        }
    }

    /** {@code outcome}: route or no-route; for no-route, {@code reason} and {@code detail} say why. */
    public record ExplainView(String outcome, String reason, String detail, long trunkId, String callee, String caller, Instant at,
                              long tableVersion, RateView sellRate, String currency, String profile, String strategy,
                              List<CandidateView> candidates, List<SkippedView> skipped, List<String> trace, String text) {
    }

    @GetMapping("/explain")
    public ResponseEntity<?> explain(@RequestParam long trunk, @RequestParam String number,
            @RequestParam(defaultValue = "") String caller, @RequestParam(required = false) String at,
            @RequestParam(defaultValue = "json") String format) {
        Instant when = clock.instant();
        if (at != null && !at.isBlank()) {
            try {
                when = Instant.parse(at);
            } catch (DateTimeParseException e) {
                return ApiError.invalid(Map.of("at", "an ISO-8601 UTC time such as 2026-12-01T00:00:00Z"));
            }
        }
        var table = routeTable.current();
        RouteResult result = table.explain(trunk, number, caller, when);
        String text = RouteExplanation.text(result);
        if (format.equalsIgnoreCase("text")) {
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(text);
        }
        List<SkippedView> skipped = result.skipped().stream().map(SkippedView::of).toList();
        ExplainView view = switch (result) {
            case RouteDecision d -> {
                List<CandidateView> candidates = new java.util.ArrayList<>();
                for (int i = 0; i < d.candidates().size(); i++) {
                    candidates.add(CandidateView.of(i + 1, d.candidates().get(i)));
                }
                yield new ExplainView("route", null, null, trunk, d.callee(), d.caller(), when, table.version(),
                        RateView.of(d.sellRate()), d.currency(), d.profileName(), d.strategy().code(), candidates, skipped,
                        d.trace(), text);
            }
            case NoRoute n -> new ExplainView("no-route", n.reason().name(), n.detail(), trunk, n.callee(), n.caller(), when,
                    table.version(), RateView.of(n.sellRate()), null, null, null, List.of(), skipped, n.trace(), text);
        };
        return ResponseEntity.ok(view);
    }
}
