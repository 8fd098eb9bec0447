package io.tandem.console.api.routing;

import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.simulator.RouteSimulationService;
import io.tandem.console.simulator.RouteSimulationService.Simulation;
import io.tandem.routing.NoRoute;
import io.tandem.routing.RouteDecision;
import io.tandem.routing.RouteResult;
import io.tandem.routing.SkippedVendor;
import io.tandem.routing.VendorCandidate;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The route simulator: {@code GET /api/v1/routes/explain?trunk=&number=[&caller=][&at=][&format=text]}
 * routes a call on this node's current table without placing it, and says why; a thin adapter over
 * {@link RouteSimulationService}.
 */
@RestController
@RequestMapping("/api/v1/routes")
public class RoutesController {

    private final RouteSimulationService simulator;

    public RoutesController(RouteSimulationService simulator) {
        this.simulator = simulator;
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
        return ApiOutcomes.respond(simulator.simulate(trunk, number, caller, at), simulation -> format.equalsIgnoreCase("text")
                ? ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(simulation.text())
                : ResponseEntity.ok(view(trunk, simulation)));
    }

    static ExplainView view(long trunk, Simulation simulation) {
        RouteResult result = simulation.result();
        List<SkippedView> skipped = result.skipped().stream().map(SkippedView::of).toList();
        return switch (result) {
            case RouteDecision d -> {
                List<CandidateView> candidates = new java.util.ArrayList<>();
                for (int i = 0; i < d.candidates().size(); i++) {
                    candidates.add(CandidateView.of(i + 1, d.candidates().get(i)));
                }
                yield new ExplainView("route", null, null, trunk, d.callee(), d.caller(), simulation.at(), simulation.tableVersion(),
                        RateView.of(d.sellRate()), d.currency(), d.profileName(), d.strategy().code(), candidates, skipped,
                        d.trace(), simulation.text());
            }
            case NoRoute n -> new ExplainView("no-route", n.reason().name(), n.detail(), trunk, n.callee(), n.caller(), simulation.at(),
                    simulation.tableVersion(), RateView.of(n.sellRate()), null, null, null, List.of(), skipped, n.trace(), simulation.text());
        };
    }
}
