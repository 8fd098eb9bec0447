package io.tandem.console.ui.registrations;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tandem.console.registrations.RegistrationsOverview;
import io.tandem.console.registrations.RegistrationsOverview.Registration;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.chart.LiveUpdates;
import jakarta.annotation.security.RolesAllowed;
import java.time.Duration;
import java.util.List;

/**
 * Registered contacts (docs/registrations.md): which customer trunk registered from where, over what, until
 * when, and which node holds the flow that calls to it go through. Read-only; refreshed every few seconds.
 */
@Route("registrations")
@PageTitle("Registrations · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER})
public class RegistrationsView extends VerticalLayout {

    static final Duration REFRESH = Duration.ofSeconds(5);

    final Grid<Registration> grid = new Grid<>(Registration.class, false);
    final Span summary = new Span();

    public RegistrationsView(RegistrationsOverview registrations, LiveUpdates updates) {
        setSizeFull();
        summary.setId("registrations-summary");
        summary.addClassName("tandem-muted");
        HorizontalLayout heading = new HorizontalLayout(new H2("Registrations"), summary);
        heading.setAlignItems(FlexComponent.Alignment.BASELINE);
        Paragraph help = new Paragraph("Customers with dynamic addresses register with their trunk's digest user. While registered, "
                + "their source address identifies the trunk, and calls to the trunk's registered-contact gateway go to the contact "
                + "through the node that holds its flow (over TCP/TLS, on the connection it registered on).");
        help.addClassName("tandem-muted");
        grid.setId("registrations-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setSizeFull();
        grid.addColumn(Registration::trunk).setHeader("Trunk").setKey("trunk").setAutoWidth(true).setSortable(true);
        grid.addColumn(Registration::contact).setHeader("Contact").setKey("contact").setAutoWidth(true);
        grid.addColumn(Registration::source).setHeader("Source").setKey("source").setAutoWidth(true);
        grid.addColumn(Registration::transport).setHeader("Transport").setKey("transport").setAutoWidth(true);
        grid.addColumn(RegistrationsView::expires).setHeader("Expires in").setKey("expires").setAutoWidth(true)
                .setComparator(Registration::secondsLeft);
        grid.addColumn(Registration::holder).setHeader("Holder node").setKey("holder").setAutoWidth(true).setSortable(true);
        add(heading, help, grid);
        setFlexGrow(1, grid);
        updates.keepFresh(this, REFRESH, registrations::current, this::show,
                error -> summary.setText("The registrations could not be read: " + error.getMessage()));
    }

    void show(List<Registration> registrations) {
        grid.setItems(registrations);
        long holders = registrations.stream().map(Registration::holder).distinct().count();
        summary.setText(registrations.size() + (registrations.size() == 1 ? " contact" : " contacts") + " · held by " + holders
                + (holders == 1 ? " node" : " nodes"));
    }

    static String expires(Registration registration) {
        long s = registration.secondsLeft();
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }
}
