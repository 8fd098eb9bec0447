package io.tandem.console.ui.gateways;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tandem.console.change.CurrentActor;
import io.tandem.console.change.Permission;
import io.tandem.console.gateways.GatewayHealth;
import io.tandem.console.gateways.GatewayService;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.forms.AccountLabels;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.routing.provisioning.VendorGateway;
import jakarta.annotation.security.RolesAllowed;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Vendors' gateways with this node's circuit-breaker state and ASR / ACD / PDD over their last
 * attempts; an operator resets a breaker by hand when the vendor says it is fixed. The breaker
 * and quality columns refresh every 5 seconds while the page is open.
 */
@Route("gateways")
@PageTitle("Vendor gateways · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER})
public class GatewaysView extends VerticalLayout {

    private final GatewayService gateways;
    private final boolean mayChange;
    private final Grid<VendorGateway> grid = new Grid<>(VendorGateway.class, false);
    /** Filters the grid in the database as the operator types (a pause of 300 ms ends a word). */
    final TextField search = new TextField();
    private final AccountLabels vendorNames;
    private com.vaadin.flow.shared.Registration polling;

    public GatewaysView(GatewayService gateways, CurrentActor actor) {
        this.gateways = gateways;
        this.vendorNames = new AccountLabels(gateways::accountNames);
        this.mayChange = actor.may(Permission.CHANGE_PROVISIONING);
        addClassName("tandem-gateways");
        setSizeFull();

        Button create = new Button("New gateway", click -> edit(null));
        create.setId("gateways-new");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setVisible(mayChange);
        Span hint = new Span("Breaker and quality are this node's, over the last 200 attempts per gateway.");
        hint.addClassName("tandem-muted");
        search.setId("gateways-search");
        search.setPlaceholder("Name or host contains");
        search.setClearButtonVisible(true);
        search.setMaxLength(128);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
        HorizontalLayout toolbar = new HorizontalLayout(new H2("Vendor gateways"), hint, search, create);
        toolbar.setWidthFull();
        toolbar.setAlignItems(Alignment.BASELINE);
        toolbar.expand(hint);

        grid.setId("gateways-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(VendorGateway::name).setHeader("Name").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(g -> vendorNames.name(g.accountId())).setHeader("Vendor").setAutoWidth(true);
        grid.addColumn(g -> g.host() + ":" + g.port()).setHeader("Address").setFlexGrow(2);
        grid.addColumn(g -> g.transport().code().toUpperCase(Locale.ROOT) + " / " + g.dnsLookup().code()).setHeader("Transport / DNS")
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(g -> g.mediaMode().code()).setHeader("Media").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(g -> limit(g.maxCps()) + " / " + limit(g.maxConcurrentCalls())).setHeader("CPS / calls").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(g -> g.failoverCodes().stream().map(String::valueOf).collect(Collectors.joining(" "))).setHeader("Failover on").setAutoWidth(true);
        grid.addComponentColumn(g -> breaker(gateways.health(g.id()))).setHeader("Breaker").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(g -> quality(gateways.health(g.id()))).setHeader("Attempts · ASR · ACD · PDD").setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(g -> {
            Span state = new Span(g.enabled() ? "enabled" : "disabled");
            state.getElement().getThemeList().add(g.enabled() ? "badge success" : "badge contrast");
            return state;
        }).setHeader("State").setAutoWidth(true).setFlexGrow(0);
        if (mayChange) {
            grid.addComponentColumn(g -> {
                Button reset = new Button("Reset breaker", click -> confirmReset(g));
                reset.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
                reset.setEnabled(gateways.health(g.id()).open() || "HALF_OPEN".equals(gateways.health(g.id()).breaker()));
                return reset;
            }).setHeader("").setAutoWidth(true).setFlexGrow(0);
        }
        grid.addItemClickListener(click -> edit(click.getItem()));
        grid.setSizeFull();
        add(toolbar, grid);
        refresh();
    }

    private void refresh() {
        vendorNames.forget();
        grid.setItems(query -> vendorNames.learn(gateways.search(null, search.getValue(), query.getOffset(), query.getLimit()),
                VendorGateway::accountId).stream());
    }

    private void edit(VendorGateway gateway) {
        new GatewayEditor(gateways, mayChange, gateway, this::refresh).open();
    }

    private void confirmReset(VendorGateway gateway) {
        ConfirmDialog confirm = new ConfirmDialog("Reset the breaker of " + gateway.name() + "?",
                "The gateway gets calls again at once on this node. Do it when the vendor says the fault is fixed.", "Reset",
                event -> {
                    switch (gateways.resetBreaker(gateway.id())) {
                        case Outcome.Done<GatewayHealth> done -> FieldMessages.done("Breaker of " + gateway.name() + " closed");
                        case Outcome.Invalid<GatewayHealth>(var fields) -> FieldMessages.error(String.join("; ", fields.values()));
                        case Outcome.NotFound<GatewayHealth> missing -> FieldMessages.error(missing.message());
                        case Outcome<GatewayHealth> other -> FieldMessages.error(other.message());
                    }
                    grid.getDataProvider().refreshAll();
                });
        confirm.setCancelable(true);
        confirm.open();
    }

    private static Span breaker(GatewayHealth health) {
        Span badge = new Span(switch (health.breaker()) {
            case GatewayHealth.NO_TRAFFIC -> "no traffic";
            case GatewayHealth.SIP_DISABLED -> "SIP off";
            default -> health.breaker().toLowerCase(Locale.ROOT).replace('_', '-');
        });
        badge.getElement().getThemeList().add(health.open() ? "badge error"
                : "HALF_OPEN".equals(health.breaker()) ? "badge"
                : "CLOSED".equals(health.breaker()) ? "badge success" : "badge contrast");
        return badge;
    }

    static String quality(GatewayHealth h) {
        if (h.attempts() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%d · %.1f%% · %.0f s · %.0f ms", h.attempts(), h.asrPercent(), h.acdSeconds(), h.pddMillis());
    }

    private static String limit(Integer value) {
        return value == null ? "∞" : value.toString();
    }

    @Override
    protected void onAttach(AttachEvent attach) {
        UI ui = attach.getUI();
        ui.setPollInterval(5000);
        polling = ui.addPollListener(poll -> grid.getDataProvider().refreshAll());
    }

    @Override
    protected void onDetach(DetachEvent detach) {
        detach.getUI().setPollInterval(-1);
        if (polling != null) {
            polling.remove();
            polling = null;
        }
    }
}
