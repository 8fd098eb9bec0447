package io.tandem.console.ui.dashboard;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.Tabs;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tandem.console.calls.TrafficPoint;
import io.tandem.console.calls.TrafficRecorder.Resolution;
import io.tandem.console.dashboard.DashboardFigures;
import io.tandem.console.dashboard.DashboardFigures.BusinessSummary;
import io.tandem.console.dashboard.DashboardFigures.ClusterTraffic;
import io.tandem.console.dashboard.DashboardFigures.NodeAttention;
import io.tandem.console.dashboard.DashboardFigures.OfflinePeer;
import io.tandem.console.dashboard.DashboardFigures.OpenBreaker;
import io.tandem.console.dashboard.persistence.DashboardQueries.AccountTraffic;
import io.tandem.console.dashboard.persistence.DashboardQueries.LowBalance;
import io.tandem.console.ui.chart.Figures;
import io.tandem.console.ui.chart.LiveUpdates;
import io.tandem.console.ui.chart.TimeSeriesChart;
import jakarta.annotation.security.PermitAll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToDoubleFunction;

/**
 * The landing page: the cluster's traffic (CPS, live calls, ASR, ACD, PDD) for the last 15 minutes
 * or 24 hours, per node and summed, updated once a second; and what needs a look: peers offline,
 * open circuit breakers, parked settlements and spool depth, accounts under their low-balance
 * threshold, today's top customers and vendors by minutes with their margin.
 */
@Route("")
@PageTitle("Dashboard · Tandem")
@PermitAll
public class DashboardView extends VerticalLayout implements com.vaadin.flow.router.BeforeEnterObserver {

    static final Duration REFRESH = Duration.ofSeconds(1);

    /** Both parts of one push: traffic and the business summary. */
    record Snapshot(ClusterTraffic traffic, BusinessSummary summary) {
    }

    private final DashboardFigures figures;
    private volatile Resolution resolution = Resolution.SECOND;
    final Tabs range = new Tabs(new Tab("Last 15 minutes"), new Tab("Last 24 hours"));
    final Span summaryLine = new Span();
    final TimeSeriesChart cps = new TimeSeriesChart("Calls per second", "cps");
    final TimeSeriesChart active = new TimeSeriesChart("Live calls", "");
    final TimeSeriesChart asr = new TimeSeriesChart("ASR", "%");
    final TimeSeriesChart acd = new TimeSeriesChart("ACD", "s");
    final TimeSeriesChart pdd = new TimeSeriesChart("PDD", "ms");
    final Div offlinePeers = panelBody("dashboard-offline");
    final Div breakers = panelBody("dashboard-breakers");
    final Div settlements = panelBody("dashboard-settlements");
    final Grid<LowBalance> lowBalances = new Grid<>(LowBalance.class, false);
    final Grid<AccountTraffic> topCustomers = new Grid<>(AccountTraffic.class, false);
    final Grid<AccountTraffic> topVendors = new Grid<>(AccountTraffic.class, false);
    private java.time.Instant summaryShown;

    private final com.vaadin.flow.spring.security.AuthenticationContext authentication;

    /**
     * A partner lands on its own page: this one shows the whole carrier's traffic. The forward happens before the
     * view is attached, so nothing of it is fetched or sent.
     */
    @Override
    public void beforeEnter(com.vaadin.flow.router.BeforeEnterEvent event) {
        if (authentication.hasRole(io.tandem.console.ui.ConsoleRole.PARTNER)) {
            event.forwardTo(io.tandem.console.ui.partners.PartnerView.class);
        }
    }

    public DashboardView(DashboardFigures figures, LiveUpdates updates, com.vaadin.flow.spring.security.AuthenticationContext authentication) {
        this.authentication = authentication;
        this.figures = figures;
        addClassName("tandem-dashboard");
        summaryLine.setId("dashboard-summary");
        summaryLine.addClassName("tandem-muted");
        range.setId("dashboard-range");
        range.addSelectedChangeListener(change -> resolution = range.getSelectedIndex() == 0 ? Resolution.SECOND : Resolution.MINUTE);
        HorizontalLayout heading = new HorizontalLayout(new H2("Dashboard"), summaryLine);
        heading.setAlignItems(FlexComponent.Alignment.BASELINE);

        Div charts = new Div(cps, active, asr, acd, pdd);
        charts.addClassName("tandem-dashboard-charts");
        charts.setId("dashboard-charts");

        accountGrid(topCustomers, "dashboard-top-customers", "Paid");
        accountGrid(topVendors, "dashboard-top-vendors", "Cost");
        lowBalances.setId("dashboard-low-balances");
        lowBalances.addThemeVariants(GridVariant.LUMO_COMPACT);
        lowBalances.setAllRowsVisible(true);
        lowBalances.addColumn(LowBalance::name).setHeader("Account").setFlexGrow(1);
        lowBalances.addColumn(b -> Figures.money(b.balance().subtract(b.held()), b.currency())).setHeader("Available")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        lowBalances.addColumn(b -> Figures.money(b.threshold(), b.currency())).setHeader("Threshold").setTextAlign(ColumnTextAlign.END)
                .setAutoWidth(true);
        lowBalances.setEmptyStateText("No account under its threshold.");

        Div panels = new Div(panel("Peers offline", offlinePeers), panel("Open circuit breakers", breakers),
                panel("Settlements", settlements), panel("Low balance", lowBalances), panel("Top customers today", topCustomers),
                panel("Top vendors today", topVendors));
        panels.addClassName("tandem-dashboard-panels");

        add(heading, range, charts, panels);
        updates.keepFresh(this, REFRESH,
                () -> {
                    CompletableFuture<ClusterTraffic> traffic = figures.traffic(resolution);
                    return traffic.thenCombine(figures.summary(), Snapshot::new);
                },
                this::show,
                error -> summaryLine.setText("Figures could not be read: " + error.getMessage()));
    }

    private static Div panelBody(String id) {
        Div body = new Div();
        body.setId(id);
        return body;
    }

    private static Div panel(String title, Component body) {
        Div panel = new Div(new H3(title), body);
        panel.addClassName("tandem-panel");
        return panel;
    }

    private static void accountGrid(Grid<AccountTraffic> grid, String id, String moneyHeader) {
        grid.setId(id);
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(AccountTraffic::name).setHeader("Account").setFlexGrow(1);
        grid.addColumn(t -> Figures.decimal(t.billedSeconds() / 60.0)).setHeader("Minutes").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(t -> t.attempts() == 0 ? "–" : Figures.decimal(100.0 * t.answered() / t.attempts()) + " %").setHeader("ASR")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(t -> Figures.money(t.money(), t.currency())).setHeader(moneyHeader).setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(t -> Figures.money(t.margin(), t.currency())).setHeader("Margin").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.setEmptyStateText("No calls today.");
    }

    void show(Snapshot snapshot) {
        showTraffic(snapshot.traffic());
        if (!snapshot.summary().at().equals(summaryShown)) {
            summaryShown = snapshot.summary().at();
            showSummary(snapshot.summary());
        }
    }

    private void showTraffic(ClusterTraffic traffic) {
        List<TrafficPoint> cluster = traffic.cluster();
        long[] times = cluster.stream().mapToLong(TrafficPoint::at).toArray();
        cps.show(times, series(traffic, times, TrafficPoint::cps));
        active.show(times, series(traffic, times, TrafficPoint::activeCalls));
        asr.show(times, series(traffic, times, TrafficPoint::asrPercent));
        acd.show(times, series(traffic, times, TrafficPoint::acdSeconds));
        pdd.show(times, series(traffic, times, TrafficPoint::pddMillisAverage));
        int nodes = traffic.byNode().size() + traffic.offline().size();
        summaryLine.setText(traffic.byNode().size() + " of " + nodes + " nodes reporting · updated " + Figures.time(traffic.at()) + " UTC");
        offlinePeers.removeAll();
        if (traffic.offline().isEmpty()) {
            offlinePeers.add(muted("Every peer answers."));
        }
        for (OfflinePeer peer : traffic.offline()) {
            Span chip = new Span(peer.node() + " · last seen " + (peer.lastSeen() == null ? "never"
                    : Figures.time(peer.lastSeen()) + " UTC (" + Figures.ago(peer.lastSeen(), traffic.at()) + ")") + " · " + peer.problem());
            chip.addClassNames("tandem-chip", "tandem-chip-bad");
            offlinePeers.add(chip);
        }
    }

    /** The cluster's line, then one per node when there is more than one. */
    static List<TimeSeriesChart.Series> series(ClusterTraffic traffic, long[] times, ToDoubleFunction<TrafficPoint> figure) {
        List<TimeSeriesChart.Series> series = new ArrayList<>();
        series.add(new TimeSeriesChart.Series("cluster", values(traffic.cluster(), times, figure)));
        if (traffic.byNode().size() > 1) {
            traffic.byNode().forEach((node, points) -> series.add(new TimeSeriesChart.Series(node, values(points, times, figure))));
        }
        return series;
    }

    private static double[] values(List<TrafficPoint> points, long[] times, ToDoubleFunction<TrafficPoint> figure) {
        Map<Long, TrafficPoint> byTime = new HashMap<>(points.size() * 2);
        points.forEach(point -> byTime.put(point.at(), point));
        double[] values = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            TrafficPoint point = byTime.get(times[i]);
            values[i] = point == null ? Double.NaN : figure.applyAsDouble(point);
        }
        return values;
    }

    private void showSummary(BusinessSummary summary) {
        boolean cluster = summary.byNode().size() + summary.unanswered().size() > 1;
        breakers.removeAll();
        if (summary.openBreakers().isEmpty()) {
            breakers.add(muted(cluster ? "All closed on the nodes that answered." : "All closed."));
        }
        for (OpenBreaker breaker : summary.openBreakers()) {
            Span chip = new Span(breaker.gateway() + " · " + breaker.state().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + (cluster ? " on " + breaker.node() : ""));
            chip.addClassNames("tandem-chip", "OPEN".equals(breaker.state()) ? "tandem-chip-bad" : "tandem-chip-notice");
            breakers.add(chip);
        }
        settlements.removeAll();
        Span parked = new Span(Figures.count(summary.parkedSettlements()) + " parked");
        parked.addClassNames("tandem-chip", summary.parkedSettlements() > 0 ? "tandem-chip-bad" : "tandem-chip-good");
        Span spool = new Span(Figures.count(summary.spoolDepth()) + " in the spool");
        spool.addClassNames("tandem-chip", summary.spoolDepth() > 0 ? "tandem-chip-notice" : "tandem-chip-good");
        settlements.add(parked, spool);
        if (cluster) {
            for (NodeAttention node : summary.byNode()) {
                settlements.add(muted(node.node() + ": " + Figures.count(node.parkedSettlements()) + " parked, "
                        + Figures.count(node.spoolDepth()) + " in the spool"));
            }
        }
        // a node that did not answer is missing from the sums: say so where the sums are
        for (OfflinePeer peer : summary.unanswered()) {
            breakers.add(notCounted(peer));
            settlements.add(notCounted(peer));
        }
        lowBalances.setItems(summary.lowBalances());
        topCustomers.setItems(summary.topCustomers());
        topVendors.setItems(summary.topVendors());
    }

    private static Span notCounted(OfflinePeer peer) {
        Span chip = new Span(peer.node() + " offline · not counted (" + peer.problem() + ")");
        chip.addClassNames("tandem-chip", "tandem-chip-bad");
        return chip;
    }

    private static Span muted(String text) {
        Span span = new Span(text);
        span.addClassName("tandem-muted");
        return span;
    }
}
