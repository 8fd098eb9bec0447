package io.tandem.console.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.RouteConfiguration;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.tandem.console.calls.ClusterCalls;
import jakarta.annotation.security.PermitAll;
import java.util.List;

/**
 * The frame around every signed-in view: a header with the node and the user, and a side
 * navigation that lists only the views that exist and that the user's roles may open. Hiding an
 * entry is a courtesy; every view and every service checks the role again on the server.
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout {

    /** One entry of the side navigation: the route path, its label, and who may open it. */
    record NavEntry(String path, String label, List<String> roles) {
    }

    private static final List<String> EVERYONE = List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE, ConsoleRole.VIEWER);

    /** In the order a NOC engineer looks at them; paths without a view yet are left out at runtime. */
    static final List<NavEntry> NAVIGATION = List.of(
            new NavEntry("", "Dashboard", EVERYONE),
            new NavEntry("calls", "Active calls", List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER)),
            new NavEntry("accounts", "Accounts", EVERYONE),
            new NavEntry("trunks", "Trunks", List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER)),
            new NavEntry("gateways", "Vendor gateways", List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER)),
            new NavEntry("decks", "Rate decks", EVERYONE),
            new NavEntry("deck-submissions", "Deck submissions", List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE)),
            new NavEntry("partner", "My account", List.of(ConsoleRole.PARTNER)),
            new NavEntry("routing", "Routing", List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER)),
            new NavEntry("simulator", "Route simulator", EVERYONE),
            new NavEntry("cdrs", "CDRs", EVERYONE),
            new NavEntry("reports", "Reports", List.of(ConsoleRole.ADMIN, ConsoleRole.FINANCE, ConsoleRole.VIEWER)),
            new NavEntry("invoices", "Invoices", List.of(ConsoleRole.ADMIN, ConsoleRole.FINANCE)),
            new NavEntry("vendor-statements", "Vendor statements", List.of(ConsoleRole.ADMIN, ConsoleRole.FINANCE)),
            new NavEntry("vendor-reconciliation", "Vendor reconciliation", List.of(ConsoleRole.ADMIN, ConsoleRole.FINANCE)),
            new NavEntry("cluster", "Cluster", List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER)),
            new NavEntry("registrations", "Registrations", List.of(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER)),
            new NavEntry("users", "Users and API keys", List.of(ConsoleRole.ADMIN)),
            new NavEntry("partner-access", "Partner access", List.of(ConsoleRole.ADMIN)),
            new NavEntry("audit", "Audit log", List.of(ConsoleRole.ADMIN, ConsoleRole.FINANCE)));

    public MainLayout(AuthenticationContext authentication, ClusterCalls calls) {
        setPrimarySection(Section.DRAWER);
        if (authentication.hasAnyRole(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER)) {
            // whoever may open Active calls: a snapshot of the cluster's calls starts now, so that view opens on it
            calls.watchedNow();
        }

        Span brand = new Span("Tandem");
        brand.addClassName("tandem-brand");

        SideNav navigation = new SideNav();
        navigation.setId("tandem-navigation");
        RouteConfiguration routes = RouteConfiguration.forApplicationScope();
        for (NavEntry entry : NAVIGATION) {
            if (routes.isPathAvailable(entry.path()) && authentication.hasAnyRole(entry.roles())) {
                navigation.addItem(new SideNavItem(entry.label(), "/" + entry.path()));
            }
        }
        addToDrawer(brand, navigation);

        String user = authentication.getPrincipalName().orElse("");
        Span who = new Span(user);
        who.setId("tandem-user");
        who.addClassName("tandem-muted");
        Button signOut = new Button("Sign out", click -> authentication.logout());
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        signOut.setId("tandem-sign-out");
        HorizontalLayout header = new HorizontalLayout(new DrawerToggle(), who, passwordButton(), signOut);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.expand(who);
        header.addClassName("tandem-header");
        addToNavbar(header);
    }

    /** Opens the signed-in user's own password page ({@code ui.users.PasswordView}, open to every role). */
    private static Button passwordButton() {
        Button password = new Button("Password", click -> click.getSource().getUI().ifPresent(ui -> ui.navigate("password")));
        password.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        password.setId("tandem-password");
        return password;
    }
}
