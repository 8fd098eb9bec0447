package io.tandem.console.ui.reports;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.Tabs;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import io.tandem.console.reports.ReportKind;
import io.tandem.console.reports.ReportPeriod;
import io.tandem.console.reports.ReportRow;
import io.tandem.console.reports.TrafficReports;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.forms.FieldMessages;
import jakarta.annotation.security.RolesAllowed;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What finance closes the month with: per customer, vendor or destination for a period (UTC days,
 * both ends included): attempts, ASR, ACD, minutes, revenue, cost and margin, summed by the
 * database; the same lines as a CSV download.
 */
@Route("reports")
@PageTitle("Reports · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.FINANCE, ConsoleRole.VIEWER})
public class ReportsView extends VerticalLayout {

    private final TrafficReports reports;
    final Tabs kinds = new Tabs();
    final DatePicker from = new DatePicker("From (UTC)");
    final DatePicker to = new DatePicker("To, included");
    final Grid<ReportRow> grid = new Grid<>(ReportRow.class, false);
    final Anchor download = new Anchor();
    private final Map<Tab, ReportKind> tabKinds = new LinkedHashMap<>();

    public ReportsView(TrafficReports reports, Clock clock) {
        this.reports = reports;
        addClassName("tandem-reports");
        setSizeFull();
        for (ReportKind kind : ReportKind.values()) {
            Tab tab = new Tab(switch (kind) {
                case CUSTOMERS -> "Customers";
                case VENDORS -> "Vendors";
                case DESTINATIONS -> "Destinations";
            });
            tab.setId("reports-" + kind.code());
            tabKinds.put(tab, kind);
            kinds.add(tab);
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        from.setValue(today.withDayOfMonth(1));
        to.setValue(today);
        from.setMax(today.plusDays(1));
        to.setMax(today.plusDays(1));
        Button show = new Button("Refresh", click -> refresh());
        show.setId("reports-show");
        show.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        download.setText("Download CSV");
        download.setId("reports-download");
        download.getElement().setAttribute("download", true);
        HorizontalLayout filters = new HorizontalLayout(from, to, show, download);
        filters.setAlignItems(Alignment.BASELINE);

        grid.setId("reports-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COLUMN_BORDERS);
        grid.addColumn(ReportRow::name).setHeader("Name").setFlexGrow(2).setResizable(true);
        grid.addColumn(ReportRow::currency).setHeader("Cur.").setAutoWidth(true).setFlexGrow(0);
        number(ReportRow::attempts, "Attempts");
        number(ReportRow::answered, "Answered");
        number(ReportRow::asrPercent, "ASR %");
        number(ReportRow::acdSeconds, "ACD s");
        number(ReportRow::minutes, "Minutes");
        number(r -> r.revenue().toPlainString(), "Revenue");
        number(r -> r.cost().toPlainString(), "Cost");
        number(r -> r.margin().toPlainString(), "Margin").setPartNameGenerator(r -> r.margin().signum() < 0 ? "tandem-loss" : null);
        grid.setSizeFull();
        kinds.addSelectedChangeListener(change -> refresh());
        from.addValueChangeListener(change -> refresh());
        to.addValueChangeListener(change -> refresh());
        add(new H2("Reports"), kinds, filters, grid);
        refresh();
    }

    private Grid.Column<ReportRow> number(Function<ReportRow, Object> value, String header) {
        return grid.addColumn(row -> {
            Object v = value.apply(row);
            return v instanceof BigDecimal decimal ? decimal.toPlainString() : String.valueOf(v);
        }).setHeader(header).setTextAlign(ColumnTextAlign.END).setAutoWidth(true).setFlexGrow(0);
    }

    ReportKind kind() {
        return tabKinds.getOrDefault(kinds.getSelectedTab(), ReportKind.CUSTOMERS);
    }

    /** The period the pickers state: from the start of the first day to the end of the last. */
    ReportPeriod period(Map<String, String> errors) {
        if (from.getValue() == null) {
            errors.put("from", "choose a day");
        }
        if (to.getValue() == null) {
            errors.put("to", "choose a day");
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return ReportPeriod.of(from.getValue().atStartOfDay(ZoneOffset.UTC).toInstant(),
                to.getValue().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), errors);
    }

    void refresh() {
        Map<String, String> errors = new LinkedHashMap<>();
        ReportPeriod period = period(errors);
        FieldMessages messages = new FieldMessages().bind("from", from).bind("to", to);
        if (period == null) {
            messages.show(errors);
            grid.setItems(java.util.List.of());
            download.setEnabled(false);
            return;
        }
        messages.clear();
        ReportKind kind = kind();
        grid.setItems(query -> reports.page(kind, period, query.getOffset(), query.getLimit()).stream());
        download.setEnabled(true);
        download.setHref((DownloadHandler) event -> {
            event.setFileName(TrafficReports.fileName(kind, period));
            event.setContentType("text/csv; charset=UTF-8");
            Writer writer = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8);
            reports.writeCsv(kind, period, writer);
            writer.flush();
        });
    }
}
