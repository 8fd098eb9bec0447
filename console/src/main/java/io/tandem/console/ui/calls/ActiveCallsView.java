package io.tandem.console.ui.calls;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.ListDataProvider;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.tandem.console.calls.ClusterCallList;
import io.tandem.console.calls.ClusterCalls;
import io.tandem.console.calls.HangUpOutcome;
import io.tandem.console.calls.LiveCall;
import io.tandem.console.calls.NodeCallStatus;
import io.tandem.console.cluster.Actor;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.capture.LadderView;
import io.tandem.console.ui.chart.Figures;
import io.tandem.console.ui.chart.LiveUpdates;
import jakarta.annotation.security.RolesAllowed;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Every live call of the cluster in one grid, refreshed once a second over push: who calls whom
 * through which vendor, on which node, for how long and for how much so far. Operators hang up one
 * call or a selection (confirmed first); the service checks their role again. A node that did not
 * answer is shown as offline with when it was last seen, and the page goes on with the others.
 *
 * <p>The grid pages in memory through the last immutable list ({@link ClusterCallList}): scrolling
 * and searching 10,000 calls costs no round trip to any node.
 */
@Route("calls")
@PageTitle("Active calls · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.VIEWER})
public class ActiveCallsView extends VerticalLayout {

    static final Duration REFRESH = Duration.ofSeconds(1);

    /** A list this old says so next to its time: the view opened with the node's last snapshot. */
    static final Duration STALE = Duration.ofSeconds(3);

    /** The oldest snapshot a view opens with (labelled with its age) rather than waiting for the nodes' answers. */
    static final Duration OLDEST_SNAPSHOT_SHOWN = Duration.ofSeconds(60);

    private final ClusterCalls calls;
    private final Clock clock;
    private final boolean mayHangUp;
    private final boolean mayOpenLadder;
    private final List<LiveCall> shown = new ArrayList<>();
    private final CallsById data = new CallsById(shown);
    final Grid<LiveCall> grid = new Grid<>(LiveCall.class, false);
    final TextField search = new TextField();
    final HorizontalLayout nodeStatus = new HorizontalLayout();
    final Span summary = new Span();
    // no icons on this page: the first icon of a page loads Vaadin's icon sets (260 kB of script) before it renders
    final Button hangUpSelected = new Button("Hang up selected");
    private ClusterCallList list = new ClusterCallList(java.time.Instant.EPOCH, List.of(), List.of());

    /** Compares calls by id: selection survives a refresh although duration and cost moved on. */
    static final class CallsById extends ListDataProvider<LiveCall> {
        CallsById(Collection<LiveCall> items) {
            super(items);
        }

        @Override
        public Object getId(LiveCall call) {
            return call.id();
        }
    }

    public ActiveCallsView(ClusterCalls calls, LiveUpdates updates, AuthenticationContext authentication, Clock clock) {
        this.calls = calls;
        this.clock = clock;
        this.mayHangUp = authentication.hasAnyRole(ConsoleRole.ADMIN, ConsoleRole.OPERATOR);
        this.mayOpenLadder = authentication.hasAnyRole(LadderView.ROLES.toArray(String[]::new));
        setSizeFull();
        addClassName("tandem-calls");

        summary.setId("calls-summary");
        summary.addClassName("tandem-muted");
        nodeStatus.setId("node-status");
        nodeStatus.addClassName("tandem-node-chips");

        search.setId("calls-search");
        search.setPlaceholder("Search number, customer, vendor, node, state");
        search.setClearButtonVisible(true);
        search.setMaxLength(LiveCallFilter.MAX_LENGTH);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.setWidth("28em");
        search.addValueChangeListener(change -> applyFilter());

        hangUpSelected.setId("hang-up-selected");
        hangUpSelected.addThemeVariants(ButtonVariant.LUMO_ERROR);
        hangUpSelected.setEnabled(false);
        hangUpSelected.setVisible(mayHangUp);
        hangUpSelected.addClickListener(click -> confirmHangUp(grid.getSelectedItems()));

        HorizontalLayout toolbar = new HorizontalLayout(search, hangUpSelected);
        toolbar.setAlignItems(FlexComponent.Alignment.BASELINE);

        configureGrid();
        HorizontalLayout heading = new HorizontalLayout(new H2("Active calls"), summary);
        heading.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(heading, nodeStatus, toolbar, grid);
        setFlexGrow(1, grid);

        // the node's last snapshot at once (the first render waits for no node), the fresh list on the next push
        calls.latest().filter(snapshot -> Duration.between(snapshot.at(), clock.instant()).compareTo(OLDEST_SNAPSHOT_SHOWN) < 0)
                .ifPresentOrElse(this::show, () -> summary.setText("Asking the nodes for their calls…"));
        updates.keepFresh(this, REFRESH, calls::list, this::show, this::showFailure);
    }

    private void configureGrid() {
        grid.setId("calls-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.setItems(data);
        grid.setSizeFull();
        grid.addColumn(LiveCall::node).setHeader("Node").setKey("node").setSortable(true).setAutoWidth(true);
        grid.addColumn(LiveCall::customer).setHeader("Customer").setKey("customer").setSortable(true).setFlexGrow(1);
        grid.addColumn(call -> call.vendor() == null ? "" : call.vendor()).setHeader("Vendor").setKey("vendor").setSortable(true)
                .setFlexGrow(1);
        grid.addColumn(LiveCall::caller).setHeader("Caller").setKey("caller").setSortable(true).setAutoWidth(true);
        grid.addColumn(LiveCall::callee).setHeader("Callee").setKey("callee").setSortable(true).setAutoWidth(true);
        grid.addColumn(LitRenderer.<LiveCall>of("<span class='tandem-call-state' data-state='${item.state}'>${item.state}</span>")
                        .withProperty("state", LiveCall::state))
                .setHeader("State").setKey("state").setComparator(LiveCall::state).setAutoWidth(true);
        grid.addColumn(call -> Figures.duration(call.durationSeconds())).setHeader("Duration").setKey("duration")
                .setComparator(Comparator.comparingLong(LiveCall::durationSeconds)).setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(call -> Figures.money(call.currentCost(), call.currency())).setHeader("Sell so far").setKey("cost")
                .setComparator(Comparator.comparing(LiveCall::currentCost, Comparator.nullsFirst(Comparator.naturalOrder())))
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        if (mayHangUp) {
            grid.setSelectionMode(Grid.SelectionMode.MULTI);
            grid.addSelectionListener(selection -> {
                int count = selection.getAllSelectedItems().size();
                hangUpSelected.setEnabled(count > 0);
                hangUpSelected.setText(count > 0 ? "Hang up " + count + " selected" : "Hang up selected");
            });
            grid.addColumn(LitRenderer.<LiveCall>of(
                                    "<vaadin-button theme='tertiary-inline error small' class='hang-up' @click=${hangUp}>Hang up</vaadin-button>")
                            .withFunction("hangUp", call -> confirmHangUp(List.of(call))))
                    .setHeader("").setKey("actions").setAutoWidth(true).setFlexGrow(0);
        } else {
            grid.setSelectionMode(Grid.SelectionMode.NONE);
        }
        if (mayOpenLadder) {
            grid.addColumn(LitRenderer.<LiveCall>of("<a class='ladder-link' href='${item.ladder}'>Ladder</a>")
                            .withProperty("ladder", call -> LadderView.path(call.id(), call.node())))
                    .setHeader("").setKey("ladder").setAutoWidth(true).setFlexGrow(0);
        }
        grid.setEmptyStateText("No live calls on the nodes that answered.");
    }

    /** Shows a new list: rows, node chips and the summary; selected calls that ended leave the selection. */
    void show(ClusterCallList fresh) {
        list = fresh;
        shown.clear();
        shown.addAll(fresh.calls());
        if (mayHangUp && !grid.getSelectedItems().isEmpty()) {
            Set<UUID> live = fresh.calls().stream().map(LiveCall::id).collect(Collectors.toCollection(HashSet::new));
            grid.getSelectedItems().stream().filter(call -> !live.contains(call.id())).toList().forEach(grid::deselect);
        }
        data.refreshAll();
        showNodes(fresh);
    }

    private void showNodes(ClusterCallList fresh) {
        nodeStatus.removeAll();
        for (NodeCallStatus node : fresh.nodes()) {
            Span chip = new Span();
            chip.addClassName("tandem-node-chip");
            chip.getElement().setAttribute("data-node", node.node());
            if (node.online()) {
                chip.addClassNames("tandem-chip", "tandem-chip-good");
                chip.setText(node.node() + " · " + Figures.count(node.calls(), "call", "calls") + (node.problem() == null ? "" : " · " + node.problem()));
            } else {
                chip.addClassNames("tandem-chip", "tandem-chip-bad");
                chip.getElement().setAttribute("data-offline", "");
                chip.setText(node.node() + " · offline, last seen " + (node.lastSeen() == null ? "never"
                        : Figures.time(node.lastSeen()) + " UTC (" + Figures.ago(node.lastSeen(), fresh.at()) + ")"));
                chip.getElement().setAttribute("title", node.problem() == null ? "" : node.problem());
            }
            nodeStatus.add(chip);
        }
        long online = fresh.nodes().stream().filter(NodeCallStatus::online).count();
        Duration age = Duration.between(fresh.at(), clock.instant());
        summary.setText(Figures.count(fresh.calls().size(), "call", "calls") + " on " + online + " of "
                + Figures.count(fresh.nodes().size(), "node", "nodes") + " · updated " + Figures.time(fresh.at()) + " UTC"
                + (age.compareTo(STALE) >= 0 ? " (" + Figures.ago(fresh.at(), clock.instant()) + "; asking the nodes again)" : ""));
    }

    private void showFailure(Throwable error) {
        summary.setText("The call list could not be read: " + error.getMessage());
    }

    private void applyFilter() {
        LiveCallFilter filter = new LiveCallFilter(search.getValue());
        data.setFilter(filter.matchesAll() ? null : filter::test);
    }

    /** The calls the grid shows now, in its order and filter (for tests). */
    List<LiveCall> visibleCalls() {
        return grid.getGenericDataView().getItems().toList();
    }

    ClusterCallList currentList() {
        return list;
    }

    boolean mayHangUp() {
        return mayHangUp;
    }

    private void confirmHangUp(Collection<LiveCall> chosen) {
        if (!mayHangUp || chosen.isEmpty()) {
            return;
        }
        List<LiveCall> targets = List.copyOf(chosen);
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setId("hang-up-confirm");
        dialog.setHeader(targets.size() == 1 ? "Hang up this call?" : "Hang up " + targets.size() + " calls?");
        String sample = targets.stream().limit(5).map(call -> call.caller() + " → " + call.callee() + " (" + call.customer() + ", " + call.node() + ")")
                .collect(Collectors.joining("\n"));
        Span text = new Span(sample + (targets.size() > 5 ? "\n… and " + (targets.size() - 5) + " more" : "")
                + "\nBoth legs get a BYE now.");
        text.getStyle().set("white-space", "pre-line");
        dialog.setText(text);
        dialog.setCancelable(true);
        dialog.setConfirmText("Hang up");
        dialog.setConfirmButtonTheme("error primary");
        dialog.addConfirmListener(confirm -> hangUp(targets));
        dialog.open();
    }

    /** Asks the service to hang up, off the UI thread, and reports what happened in one notification. */
    void hangUp(List<LiveCall> targets) {
        UI ui = UI.getCurrent();
        Actor actor = Actor.of(SecurityContextHolder.getContext().getAuthentication(),
                ui.getSession() == null || ui.getSession().getBrowser() == null ? "" : ui.getSession().getBrowser().getAddress());
        List<CompletableFuture<HangUpOutcome>> outcomes = targets.stream().map(call -> calls.hangUp(call.id(), actor)).toList();
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> ui.access(() -> {
            grid.deselectAll();
            report(outcomes.stream().map(outcome -> outcome.isCompletedExceptionally() ? null : outcome.join()).toList(), error);
        }));
    }

    private static void report(List<HangUpOutcome> outcomes, Throwable error) {
        long hungUp = outcomes.stream().filter(HangUpOutcome.HungUp.class::isInstance).count();
        List<String> problems = new ArrayList<>();
        for (HangUpOutcome outcome : outcomes) {
            switch (outcome) {
                case HangUpOutcome.HungUp ignored -> {
                }
                case HangUpOutcome.NotFound missing -> problems.add("call already ended");
                case HangUpOutcome.Refused refused -> problems.add(refused.why());
                case HangUpOutcome.NodeFailed failed -> problems.add("node " + failed.node() + ": " + failed.why());
                case null -> problems.add(error == null ? "failed" : error.getMessage());
            }
        }
        String text = hungUp + (hungUp == 1 ? " call hung up" : " calls hung up")
                + (problems.isEmpty() ? "" : "; " + problems.size() + " not: " + String.join(", ", new java.util.LinkedHashSet<>(problems)));
        Notification notification = Notification.show(text, 5000, Notification.Position.BOTTOM_START);
        notification.addThemeVariants(problems.isEmpty() ? NotificationVariant.LUMO_SUCCESS : NotificationVariant.LUMO_WARNING);
    }
}
