package io.tandem.console.ui.simulator;

import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tandem.console.service.Outcome;
import io.tandem.console.simulator.RouteSimulationService;
import io.tandem.console.simulator.RouteSimulationService.Simulation;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.console.ui.accounts.MoneyText;
import io.tandem.routing.Micros;
import io.tandem.routing.NoRoute;
import io.tandem.routing.Rate;
import io.tandem.routing.RouteDecision;
import io.tandem.routing.SkippedVendor;
import io.tandem.routing.VendorCandidate;
import io.tandem.routing.provisioning.IngressTrunk;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The route simulator: a trunk, a number and a time in, the routing decision out — the sell rate, the vendors in
 * the order they would be tried with their buy rates and margins, the vendors skipped and why, and the trace.
 * Nothing is dialled.
 */
@Route("simulator")
@PageTitle("Route simulator · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE, ConsoleRole.VIEWER})
public class SimulatorView extends VerticalLayout {

    final ComboBox<IngressTrunk> trunk = new ComboBox<>("Trunk");
    final TextField number = new TextField("Number dialled");
    final TextField caller = new TextField("Caller (optional)");
    final DateTimePicker at = new DateTimePicker("At (UTC; empty = now)");
    final Button simulate = new Button("Simulate");
    final Paragraph summary = new Paragraph();
    final Grid<Ranked> candidates = new Grid<>();
    final Grid<SkippedVendor> skipped = new Grid<>();
    final Pre trace = new Pre();
    private final RouteSimulationService simulator;
    /** A vendor candidate with its place in the order. */
    record Ranked(int order, VendorCandidate candidate) {
    }

    private final FieldMessages messages = new FieldMessages();
    private String currency = "";

    public SimulatorView(RouteSimulationService simulator) {
        this.simulator = simulator;
        trunk.setId("simulator-trunk");
        trunk.setItems(simulator.trunks());
        trunk.setItemLabelGenerator(t -> t.name() + " (#" + t.id() + ")");
        trunk.setRequired(true);
        number.setId("simulator-number");
        number.setMaxLength(RouteSimulationService.MAX_NUMBER);
        number.setRequired(true);
        number.setPlaceholder("as the customer sends it, e.g. 442071234567");
        caller.setMaxLength(RouteSimulationService.MAX_NUMBER);
        simulate.setId("simulator-run");
        simulate.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        simulate.addClickShortcut(Key.ENTER);
        simulate.addClickListener(click -> run());
        messages.bind("number", number).bind("caller", caller).bind("at", at);
        HorizontalLayout form = new HorizontalLayout(trunk, number, caller, at, simulate);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);

        summary.setId("simulator-summary");
        candidates.setId("simulator-candidates");
        candidates.addThemeVariants(GridVariant.LUMO_COMPACT);
        candidates.setAllRowsVisible(true);
        skipped.setId("simulator-skipped");
        skipped.addThemeVariants(GridVariant.LUMO_COMPACT);
        skipped.setAllRowsVisible(true);
        columns();
        trace.setId("simulator-trace");
        trace.addClassName("tandem-trace");

        add(new H2("Route simulator"), form, summary, new H4("Vendors, in the order they are tried"), candidates,
                new H4("Skipped vendors"), skipped, new H4("Trace"), trace);
    }

    private void columns() {
        candidates.addColumn(Ranked::order).setHeader("#").setAutoWidth(true);
        candidates.addColumn(r -> r.candidate().vendorName()).setHeader("Vendor").setFlexGrow(1);
        candidates.addColumn(r -> r.candidate().gateway().name() + " " + r.candidate().gateway().host() + ":" + r.candidate().gateway().port()
                + "/" + r.candidate().gateway().transport()).setHeader("Gateway").setFlexGrow(1);
        candidates.addColumn(r -> rate(r.candidate().buyRate())).setHeader("Buy rate").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        candidates.addColumn(r -> MoneyText.format(r.candidate().margin(), currency)).setHeader("Margin / min")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        skipped.addColumn(SkippedVendor::vendorName).setHeader("Vendor").setAutoWidth(true);
        skipped.addColumn(s -> s.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).setHeader("Why").setAutoWidth(true);
        skipped.addColumn(SkippedVendor::detail).setHeader("Detail").setFlexGrow(1);
        skipped.addColumn(s -> rate(s.buyRate())).setHeader("Buy rate").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
    }

    void run() {
        messages.clear();
        if (trunk.getValue() == null) {
            trunk.setErrorMessage("choose the trunk the call arrives on");
            trunk.setInvalid(true);
            return;
        }
        trunk.setInvalid(false);
        Instant when = at.getValue() == null ? null : at.getValue().toInstant(ZoneOffset.UTC);
        Outcome<Simulation> outcome = when == null
                ? simulator.simulate(trunk.getValue().id(), number.getValue(), caller.getValue(), (String) null)
                : simulator.simulate(trunk.getValue().id(), number.getValue(), caller.getValue(), when);
        switch (outcome) {
            case Outcome.Done<Simulation> done -> show(done.value());
            case Outcome.Invalid<Simulation> invalid -> messages.show(invalid.fields());
            default -> FieldMessages.error(outcome.message());
        }
    }

    void show(Simulation simulation) {
        trace.setText(String.join("\n", simulation.result().trace()));
        skipped.setItems(simulation.result().skipped());
        switch (simulation.result()) {
            case RouteDecision d -> {
                currency = d.currency();
                summary.setText("Routes: sells at " + rate(d.sellRate()) + " (prefix " + d.sellRate().prefix() + " "
                        + d.sellRate().destination() + "), profile " + d.profileName() + ", " + d.strategy().code() + "; "
                        + d.candidates().size() + " vendor(s). Routing table version " + simulation.tableVersion() + ", at "
                        + simulation.at() + ".");
                candidates.setItems(java.util.stream.IntStream.range(0, d.candidates().size())
                        .mapToObj(i -> new Ranked(i + 1, d.candidates().get(i))).toList());
            }
            case NoRoute n -> {
                currency = "";
                summary.setText("No route: " + n.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " — " + n.detail()
                        + (n.sellRate() == null ? "" : " (sells at " + rate(n.sellRate()) + ")") + ". Routing table version "
                        + simulation.tableVersion() + ".");
                candidates.setItems(List.of());
            }
        }
    }

    private String rate(Rate rate) {
        return rate == null ? "" : MoneyText.format(Micros.toDecimal(rate.ratePerMinuteMicros()), currency) + " /min "
                + rate.initialIncrement() + "/" + rate.nextIncrement();
    }
}
