package io.tandem.console.ui.cluster;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.tandem.console.cluster.Actor;
import io.tandem.console.cluster.ClusterNodes;
import io.tandem.console.cluster.ClusterNodes.DrainOutcome;
import io.tandem.console.cluster.ClusterNodes.NodeReport;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.chart.Figures;
import io.tandem.console.ui.chart.LiveUpdates;
import jakarta.annotation.security.RolesAllowed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The nodes of the cluster: up, draining or offline (with when each was last seen), the build
 * they run, the routing version they serve against the database's, and their live calls.
 * Operators drain a node before a restart (new calls get 503 while current ones finish) and
 * undrain it afterwards.
 */
@Route("cluster")
@PageTitle("Cluster · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER})
public class ClusterView extends VerticalLayout {

    static final Duration REFRESH = Duration.ofSeconds(2);

    private final ClusterNodes nodes;
    private final boolean mayDrain;
    final Grid<NodeReport> grid = new Grid<>(NodeReport.class, false);
    final Span summary = new Span();
    private Instant shownAt = Instant.EPOCH;

    public ClusterView(ClusterNodes nodes, LiveUpdates updates, AuthenticationContext authentication) {
        this.nodes = nodes;
        this.mayDrain = authentication.hasAnyRole(ConsoleRole.ADMIN, ConsoleRole.OPERATOR);
        setSizeFull();
        summary.setId("cluster-summary");
        summary.addClassName("tandem-muted");
        HorizontalLayout heading = new HorizontalLayout(new H2("Cluster"), summary);
        heading.setAlignItems(FlexComponent.Alignment.BASELINE);
        Paragraph help = new Paragraph("Drain a node before restarting it: it refuses new calls with 503 and Retry-After while its "
                + "current calls finish. Routing versions behind the database's mean the node has yet to load a change.");
        help.addClassName("tandem-muted");
        configureGrid();
        add(heading, help, grid);
        setFlexGrow(1, grid);
        updates.keepFresh(this, REFRESH, nodes::all, this::show,
                error -> summary.setText("The nodes could not be asked: " + error.getMessage()));
    }

    private void configureGrid() {
        grid.setId("cluster-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setSizeFull();
        grid.addColumn(report -> report.node() + (report.local() ? " (this node)" : "")).setHeader("Node").setKey("node").setAutoWidth(true);
        grid.addColumn(new ComponentRenderer<>(ClusterView::status)).setHeader("Status").setKey("status").setAutoWidth(true);
        grid.addColumn(NodeReport::version).setHeader("Version").setKey("version").setAutoWidth(true);
        grid.addColumn(report -> report.online() ? routing(report) : "").setHeader("Routing / config version").setKey("routing")
                .setAutoWidth(true);
        grid.addColumn(report -> report.online() ? (report.sipEnabled() ? "on" : "off") : "").setHeader("SIP").setKey("sip").setAutoWidth(true);
        grid.addColumn(report -> report.online() ? Figures.count(report.activeCalls()) : "").setHeader("Live calls").setKey("calls")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(ClusterView::mediaLoad)
                .setHeader("Media sessions / cap").setKey("media").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(report -> report.online() ? "now" : (report.lastSeen() == null ? "never"
                        : Figures.time(report.lastSeen()) + " UTC (" + Figures.ago(report.lastSeen(), shownAt) + ")"))
                .setHeader("Last seen").setKey("lastSeen").setAutoWidth(true);
        if (mayDrain) {
            grid.addColumn(new ComponentRenderer<>(this::drainButton)).setHeader("").setKey("actions").setAutoWidth(true).setFlexGrow(0);
        }
    }

    private static Span status(NodeReport report) {
        Span badge = new Span(report.status());
        badge.addClassNames("tandem-chip", switch (report.status()) {
            case "up" -> "tandem-chip-good";
            case "draining" -> "tandem-chip-notice";
            default -> "tandem-chip-bad";
        });
        if (report.problem() != null) {
            badge.getElement().setAttribute("title", report.problem());
        }
        return badge;
    }

    /** A media node's sessions over its cap, e.g. "12 / 5,000"; empty for a node without the media role or offline. */
    static String mediaLoad(NodeReport report) {
        return !report.online() || report.media() == null ? ""
                : Figures.count(report.media().sessions()) + " / " + Figures.count(report.media().maxSessions());
    }

    private static String routing(NodeReport report) {
        return report.routingVersion() + " / " + report.configVersion() + (report.configVersion() > report.routingVersion() ? " (loading)" : "");
    }

    private Button drainButton(NodeReport report) {
        Button button = new Button(report.draining() ? "Undrain" : "Drain");
        button.addThemeVariants(ButtonVariant.LUMO_SMALL, report.draining() ? ButtonVariant.LUMO_PRIMARY : ButtonVariant.LUMO_ERROR);
        button.setEnabled(report.online() && report.sipEnabled());
        button.getElement().setAttribute("data-node", report.node());
        button.addClickListener(click -> confirmDrain(report.node(), !report.draining()));
        return button;
    }

    void show(List<NodeReport> reports) {
        shownAt = Instant.now();
        grid.setItems(reports);
        long offline = reports.stream().filter(report -> !report.online()).count();
        long draining = reports.stream().filter(NodeReport::draining).count();
        summary.setText(Figures.count(reports.size(), "node", "nodes") + " · " + offline + " offline · " + draining + " draining · "
                + Figures.count(reports.stream().mapToLong(NodeReport::activeCalls).sum(), "live call", "live calls") + " · updated "
                + Figures.time(shownAt) + " UTC");
    }

    private void confirmDrain(String node, boolean draining) {
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setHeader((draining ? "Drain " : "Undrain ") + node + "?");
        dialog.setText(draining ? "New calls to " + node + " get 503 with Retry-After; its current calls go on."
                : node + " takes new calls again.");
        dialog.setCancelable(true);
        dialog.setConfirmText(draining ? "Drain" : "Undrain");
        dialog.addConfirmListener(confirm -> drain(node, draining));
        dialog.open();
    }

    void drain(String node, boolean draining) {
        UI ui = UI.getCurrent();
        Actor actor = Actor.of(SecurityContextHolder.getContext().getAuthentication(),
                ui.getSession() == null || ui.getSession().getBrowser() == null ? "" : ui.getSession().getBrowser().getAddress());
        nodes.drain(node, draining, actor).whenComplete((outcome, error) -> ui.access(() -> {
            String text = error != null ? "Failed: " + error.getMessage() : switch (outcome) {
                case DrainOutcome.Done done -> node + (draining ? " is draining" : " takes calls again");
                case DrainOutcome.Refused refused -> refused.why();
                case DrainOutcome.NoSuchNode missing -> "No node " + missing.node();
                case DrainOutcome.NodeFailed failed -> failed.node() + " did not change: " + failed.why();
            };
            Notification notification = Notification.show(text, 5000, Notification.Position.BOTTOM_START);
            notification.addThemeVariants(outcome instanceof DrainOutcome.Done ? NotificationVariant.LUMO_SUCCESS
                    : NotificationVariant.LUMO_WARNING);
        }));
    }
}
