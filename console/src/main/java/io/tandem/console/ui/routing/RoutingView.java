package io.tandem.console.ui.routing;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tandem.billing.account.Account;
import io.tandem.console.ui.forms.AccountPicker;
import io.tandem.console.change.CurrentActor;
import io.tandem.console.service.Outcome;
import io.tandem.console.change.Permission;
import io.tandem.console.gateways.GatewayService;
import io.tandem.console.routing.ProfileView;
import io.tandem.console.routing.RoutingService;
import io.tandem.console.trunks.TrunkService;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.routing.persistence.BlockedDestinationRepository.BlockedDestination;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;

/**
 * Routing: profiles (strategy, margins, attempts) with their vendor lists, and customers' blocked
 * destinations. Every change reloads routing on this node and pokes the peers (in the service).
 */
@Route("routing")
@PageTitle("Routing · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER})
public class RoutingView extends VerticalLayout {

    private final RoutingService routing;
    private final boolean mayChange;
    final Grid<ProfileView> profiles = new Grid<>(ProfileView.class, false);
    final ProfilePanel panel;

    public RoutingView(RoutingService routing, GatewayService gateways, TrunkService trunks, CurrentActor actor) {
        this.routing = routing;
        this.mayChange = actor.may(Permission.CHANGE_PROVISIONING);
        addClassName("tandem-routing");
        setSizeFull();
        panel = new ProfilePanel(routing, gateways, mayChange, this::refreshProfiles);

        Button create = new Button("New profile", click -> {
            profiles.deselectAll();
            panel.show(null);
        });
        create.setId("routing-new-profile");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setVisible(mayChange);

        profiles.setId("routing-profiles");
        profiles.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        profiles.addColumn(ProfileView::name).setHeader("Profile").setAutoWidth(true);
        profiles.addColumn(ProfileView::strategy).setHeader("Strategy").setAutoWidth(true);
        profiles.addColumn(ProfileView::minMargin).setHeader("Min margin /min").setAutoWidth(true);
        profiles.addColumn(p -> p.minMarginPercent() + " %").setHeader("Min margin %").setAutoWidth(true);
        profiles.addColumn(p -> p.allowLoss() ? "yes" : "no").setHeader("Loss allowed").setAutoWidth(true);
        profiles.addColumn(ProfileView::maxAttempts).setHeader("Max attempts").setAutoWidth(true);
        profiles.setHeight("180px");
        profiles.asSingleSelect().addValueChangeListener(change -> panel.show(change.getValue()));

        VerticalLayout profileTab = new VerticalLayout(new HorizontalLayout(create), profiles, panel);
        profileTab.setPadding(false);
        TabSheet tabs = new TabSheet();
        tabs.add("Profiles and vendor lists", profileTab);
        tabs.add("Blocked destinations", blockedTab(trunks));
        tabs.setSizeFull();
        add(new H2("Routing"), tabs);
        refreshProfiles();
    }

    void refreshProfiles() {
        ProfileView selected = profiles.asSingleSelect().getValue();
        List<ProfileView> all = routing.profiles(0, 1000);
        profiles.setItems(all);
        if (selected != null) {
            all.stream().filter(p -> p.id() == selected.id()).findFirst().ifPresent(profiles::select);
        }
    }

    private VerticalLayout blockedTab(TrunkService trunks) {
        ComboBox<Account> customer = new ComboBox<>("Customer");
        AccountPicker.lazy(customer, trunks::customerAccounts, trunks::countCustomerAccounts);
        customer.setItemLabelGenerator(a -> a.name() + " (#" + a.id() + ")");
        Grid<BlockedDestination> blocked = new Grid<>(BlockedDestination.class, false);
        blocked.addThemeVariants(GridVariant.LUMO_COMPACT);
        blocked.addColumn(BlockedDestination::prefix).setHeader("Prefix").setAutoWidth(true);
        blocked.addColumn(BlockedDestination::reason).setHeader("Reason");
        blocked.addColumn(BlockedDestination::createdAt).setHeader("Since (UTC)").setAutoWidth(true);
        Runnable reload = () -> {
            if (customer.getValue() == null) {
                blocked.setItems(List.of());
                return;
            }
            switch (routing.blocked(customer.getValue().id())) {
                case Outcome.Done<List<BlockedDestination>>(var list, var replayed) -> blocked.setItems(list);
                case Outcome.Invalid<List<BlockedDestination>>(var fields) -> FieldMessages.error(String.join("; ", fields.values()));
                case Outcome.NotFound<List<BlockedDestination>> missing -> FieldMessages.error(missing.message());
                case Outcome<List<BlockedDestination>> other -> FieldMessages.error(other.message());
            }
        };
        if (mayChange) {
            blocked.addComponentColumn(b -> new Button("Unblock", click -> {
                if (routing.unblock(b.accountId(), b.id()) instanceof Outcome.NotFound<Long> missing) {
                    FieldMessages.error(missing.message());
                }
                reload.run();
            })).setAutoWidth(true).setFlexGrow(0);
        }
        customer.addValueChangeListener(change -> reload.run());

        TextField prefix = new TextField("Prefix");
        prefix.setMaxLength(32);
        prefix.setAllowedCharPattern("[0-9]");
        TextField reason = new TextField("Reason");
        reason.setMaxLength(255);
        FieldMessages messages = new FieldMessages().bind("prefix", prefix).bind("reason", reason);
        Button block = new Button("Block", click -> {
            if (customer.getValue() == null) {
                customer.setErrorMessage("choose a customer");
                customer.setInvalid(true);
                return;
            }
            switch (routing.block(customer.getValue().id(), prefix.getValue(), reason.getValue().isBlank() ? null : reason.getValue())) {
                case Outcome.Done<BlockedDestination> done -> {
                    messages.clear();
                    prefix.clear();
                    reason.clear();
                    reload.run();
                }
                case Outcome.Invalid<BlockedDestination>(var fields) -> messages.show(fields);
                case Outcome.NotFound<BlockedDestination> missing -> FieldMessages.error(missing.message());
                case Outcome<BlockedDestination> other -> FieldMessages.error(other.message());
            }
        });
        HorizontalLayout add = new HorizontalLayout(prefix, reason, block);
        add.setAlignItems(Alignment.BASELINE);
        add.setVisible(mayChange);
        VerticalLayout tab = new VerticalLayout(customer, new H3("Blocked prefixes"), blocked, add);
        tab.setPadding(false);
        return tab;
    }
}
