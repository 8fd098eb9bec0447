package io.tandem.console.ui.trunks;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
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
import io.tandem.console.routing.RoutingService;
import io.tandem.console.trunks.TrunkService;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.forms.AccountLabels;
import io.tandem.routing.provisioning.IngressTrunk;
import jakarta.annotation.security.RolesAllowed;

/**
 * Customers' ingress trunks: who may send us calls (source CIDRs, digest users), how their numbers
 * are cleaned (tech prefix, translation rules, tested live on a typed number) and what
 * P-Asserted-Identity they may present. Operators edit; viewers read.
 */
@Route("trunks")
@PageTitle("Trunks · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER})
public class TrunksView extends VerticalLayout {

    private final TrunkService trunks;
    private final RoutingService routing;
    private final boolean mayChange;
    private final Grid<IngressTrunk> grid = new Grid<>(IngressTrunk.class, false);
    /** Filters the grid in the database as the operator types (a pause of 300 ms ends a word). */
    final TextField search = new TextField();
    private final AccountLabels accountNames;

    public TrunksView(TrunkService trunks, RoutingService routing, CurrentActor actor) {
        this.trunks = trunks;
        this.accountNames = new AccountLabels(trunks::accountNames);
        this.routing = routing;
        this.mayChange = actor.may(Permission.CHANGE_PROVISIONING);
        addClassName("tandem-trunks");
        setSizeFull();

        Button create = new Button("New trunk", click -> edit(null));
        create.setId("trunks-new");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setVisible(mayChange);
        Span hint = new Span(mayChange ? "Click a trunk to edit it and to test numbers against its translation rules."
                : "Read only: click a trunk to see it and to test numbers against its translation rules.");
        hint.addClassName("tandem-muted");
        search.setId("trunks-search");
        search.setPlaceholder("Name contains");
        search.setClearButtonVisible(true);
        search.setMaxLength(128);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(change -> grid.getDataProvider().refreshAll());
        HorizontalLayout toolbar = new HorizontalLayout(new H2("Trunks"), hint, search, create);
        toolbar.setWidthFull();
        toolbar.setAlignItems(Alignment.BASELINE);
        toolbar.expand(hint);

        grid.setId("trunks-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(IngressTrunk::name).setHeader("Name").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(t -> accountNames.name(t.accountId())).setHeader("Customer").setAutoWidth(true);
        grid.addColumn(t -> String.join(", ", t.sourceCidrs())).setHeader("Source CIDRs").setFlexGrow(2);
        grid.addColumn(t -> String.join(", ", t.digestUsers())).setHeader("Digest users");
        grid.addColumn(t -> t.techPrefix() == null ? "" : t.techPrefix()).setHeader("Tech prefix").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(t -> t.calleeTranslations().size() + " / " + t.callerTranslations().size())
                .setHeader("Rules callee / caller").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(t -> t.assertedIdentity().code()).setHeader("PAI").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(t -> t.mediaMode().code()).setHeader("Media").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(t -> limit(t.maxCps()) + " / " + limit(t.maxConcurrentCalls())).setHeader("CPS / calls").setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(t -> {
            Span state = new Span(t.enabled() ? "enabled" : "disabled");
            state.getElement().getThemeList().add(t.enabled() ? "badge success" : "badge contrast");
            return state;
        }).setHeader("State").setAutoWidth(true).setFlexGrow(0);
        grid.addItemClickListener(click -> edit(click.getItem()));
        grid.setSizeFull();
        add(toolbar, grid);
        refresh();
    }

    private void refresh() {
        accountNames.forget();
        grid.setItems(query -> accountNames.learn(trunks.search(null, search.getValue(), query.getOffset(), query.getLimit()),
                IngressTrunk::accountId).stream());
    }

    private void edit(IngressTrunk trunk) {
        new TrunkEditor(trunks, routing, mayChange, trunk, this::refresh).open();
    }

    private static String limit(Integer value) {
        return value == null ? "∞" : value.toString();
    }
}
