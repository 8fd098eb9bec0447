package io.tandem.console.simulator;

import io.tandem.console.service.Outcome;
import io.tandem.routing.RouteExplanation;
import io.tandem.routing.RouteResult;
import io.tandem.routing.RouteTable;
import io.tandem.routing.provisioning.IngressTrunk;
import io.tandem.routing.provisioning.persistence.TrunkRepository;
import io.tandem.routing.reload.RouteTableHolder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The route simulator: routes a call on this node's current routing table without placing it and says
 * why, for the REST API and the console. Reads only; everyone may use it.
 */
@Service
public class RouteSimulationService {

    public static final int MAX_NUMBER = 64;
    public static final int MAX_TRUNKS_LISTED = 1000;

    private final RouteTableHolder routeTable;
    private final TrunkRepository trunks;
    private final Clock clock;

    private final org.springframework.beans.factory.ObjectProvider<io.tandem.softswitch.call.RegisteredTargets.Link> registered;

    public RouteSimulationService(RouteTableHolder routeTable, TrunkRepository trunks, Clock clock,
                                  org.springframework.beans.factory.ObjectProvider<io.tandem.softswitch.call.RegisteredTargets.Link> registered) {
        this.registered = registered;
        this.routeTable = routeTable;
        this.trunks = trunks;
        this.clock = clock;
    }

    /** A simulated call: what routing decided on table {@code tableVersion} at {@code at}, and the same in words. */
    public record Simulation(RouteResult result, long tableVersion, Instant at, String text) {
    }

    /** The ingress trunks a simulation can start from, by id. */
    public List<IngressTrunk> trunks() {
        return trunks.list(null, 0, MAX_TRUNKS_LISTED);
    }

    /**
     * @param number the dialled number as the customer sends it (tech prefix and translations apply)
     * @param caller the calling number; blank when it does not matter
     * @param at     ISO-8601 UTC; blank = now
     */
    public Outcome<Simulation> simulate(long trunkId, String number, String caller, String at) {
        Map<String, String> errors = new LinkedHashMap<>();
        Instant when = clock.instant();
        if (at != null && !at.isBlank()) {
            try {
                when = Instant.parse(at.trim());
            } catch (DateTimeParseException e) {
                errors.put("at", "an ISO-8601 UTC time such as 2026-12-01T00:00:00Z");
            }
        }
        return errors.isEmpty() ? simulate(trunkId, number, caller, when) : Outcome.invalid(errors);
    }

    public Outcome<Simulation> simulate(long trunkId, String number, String caller, Instant at) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (number == null || number.isBlank()) {
            errors.put("number", "required: the number as the customer dials it");
        } else if (number.length() > MAX_NUMBER) {
            errors.put("number", "at most " + MAX_NUMBER + " characters");
        }
        if (caller != null && caller.length() > MAX_NUMBER) {
            errors.put("caller", "at most " + MAX_NUMBER + " characters");
        }
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        RouteTable table = routeTable.current();
        // registered contacts as this node knows them now (none when SIP is off here)
        io.tandem.softswitch.call.RegisteredTargets.Link link = registered.getIfAvailable();
        io.tandem.routing.RegisteredContacts contacts = link == null ? io.tandem.routing.RegisteredContacts.NONE : link;
        RouteResult result = table.explain(trunkId, number.trim(), caller == null ? "" : caller.trim(), at, contacts);
        return new Outcome.Done<>(new Simulation(result, table.version(), at, RouteExplanation.text(result)));
    }
}
