package io.tandem.console.ui.invoices;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.billing.account.Money;
import io.tandem.billing.invoicing.InvoiceLine;
import io.tandem.billing.invoicing.VendorStatement;
import io.tandem.console.accounts.AccountSearch;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.invoices.InvoiceService;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.accounts.ViewCaller;
import io.tandem.console.ui.forms.FieldMessages;
import jakarta.annotation.security.RolesAllowed;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * What the carrier owes a vendor for a month, from the buy side of our CDRs (calls that started in the month), per
 * buy prefix, with the statement as CSV and PDF. Computed on demand by {@link InvoiceService#vendorStatement}.
 */
@Route("vendor-statements")
@PageTitle("Vendor statements · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.FINANCE})
public class VendorStatementsView extends VerticalLayout {

    private final InvoiceService invoices;
    private final Caller viewer = ViewCaller.current();
    final ComboBox<Account> vendor = new ComboBox<>("Vendor");
    final TextField month = new TextField("Month (YYYY-MM)");
    final Button show = new Button("Show the statement");
    final Grid<InvoiceLine> lines = new Grid<>(InvoiceLine.class, false);
    final Span total = new Span();
    final HorizontalLayout downloads = new HorizontalLayout();

    public VendorStatementsView(InvoiceService invoices, AccountService accounts, Clock clock) {
        this.invoices = invoices;
        setSizeFull();
        vendor.setId("statements-vendor");
        vendor.setItemLabelGenerator(Account::name);
        vendor.setItems((com.vaadin.flow.data.provider.CallbackDataProvider.FetchCallback<Account, String>) query ->
                accounts.search(new AccountSearch(query.getFilter().orElse(""), AccountKind.VENDOR), query.getOffset(), query.getLimit()).stream());
        month.setId("statements-month");
        month.setMaxLength(7);
        month.setValue(YearMonth.now(clock.withZone(ZoneOffset.UTC)).minusMonths(1).toString());
        show.setId("statements-show");
        show.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        show.addClickListener(click -> showStatement());
        HorizontalLayout form = new HorizontalLayout(vendor, month, show);
        form.setAlignItems(Alignment.BASELINE);

        lines.setId("statements-lines");
        lines.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        lines.addColumn(InvoiceLine::prefix).setHeader("Prefix").setAutoWidth(true).setFlexGrow(0);
        lines.addColumn(InvoiceLine::description).setHeader("Destination").setFlexGrow(2);
        lines.addColumn(InvoiceLine::calls).setHeader("Calls").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        lines.addColumn(l -> l.billedMinutes().toPlainString()).setHeader("Minutes").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        lines.addColumn(l -> Money.format(l.amount())).setHeader("Cost").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        lines.setEmptyStateText("Choose a vendor and a month.");
        lines.setSizeFull();
        total.setId("statements-total");
        add(new H2("Vendor statements"), form, new HorizontalLayout(total, downloads), lines);
    }

    void showStatement() {
        FieldMessages messages = new FieldMessages().bind("month", month).bind("vendor", vendor);
        if (vendor.getValue() == null) {
            messages.show(Map.of("vendor", "choose a vendor"));
            return;
        }
        Outcome<YearMonth> parsed = InvoiceService.month(month.getValue());
        if (!(parsed instanceof Outcome.Done<YearMonth> m)) {
            messages.show(((Outcome.Invalid<YearMonth>) parsed).fields());
            return;
        }
        messages.clear();
        long vendorId = vendor.getValue().id();
        Outcome<VendorStatement> statement = invoices.vendorStatement(viewer, vendorId, m.value());
        if (!(statement instanceof Outcome.Done<VendorStatement> done)) {
            FieldMessages.error(statement.message());
            return;
        }
        VendorStatement s = done.value();
        lines.setItems(s.lines());
        total.setText("We owe " + s.vendorName() + " " + Money.format(s.total()) + " " + s.currency() + " for " + s.period().label());
        String name = "statement-" + vendorId + "-" + m.value();
        Anchor csv = new Anchor((DownloadHandler) event -> {
            event.setFileName(name + ".csv");
            event.setContentType("text/csv; charset=UTF-8");
            Writer writer = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8);
            if (invoices.vendorStatement(viewer, vendorId, m.value()) instanceof Outcome.Done<VendorStatement> now) {
                invoices.writeCsv(now.value(), writer);
            }
            writer.flush();
        }, "CSV");
        Anchor pdf = new Anchor((DownloadHandler) event -> {
            event.setFileName(name + ".pdf");
            event.setContentType("application/pdf");
            if (invoices.vendorStatement(viewer, vendorId, m.value()) instanceof Outcome.Done<VendorStatement> now) {
                invoices.writePdf(now.value(), event.getOutputStream());
            }
        }, "PDF");
        csv.getElement().setAttribute("download", true);
        pdf.getElement().setAttribute("download", true);
        downloads.removeAll();
        downloads.add(csv, pdf);
    }
}
