package io.tandem.console.ui.invoices;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import io.tandem.billing.account.Money;
import io.tandem.billing.invoicing.Invoice;
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
import java.time.format.DateTimeFormatter;

/**
 * Finance's invoices: every issued invoice and credit note, newest first, with its PDF and CSV; a button
 * issues the invoices of a month for every customer whose cycle ends with it.
 */
@Route("invoices")
@PageTitle("Invoices · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.FINANCE})
public class InvoicesView extends VerticalLayout {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final InvoiceService invoices;
    final TextField month = new TextField("Month (YYYY-MM)");
    final Button issue = new Button("Issue the month's invoices");
    final Grid<Invoice> grid = new Grid<>(Invoice.class, false);

    public InvoicesView(InvoiceService invoices, Clock clock) {
        this.invoices = invoices;
        setSizeFull();
        month.setId("invoices-month");
        month.setMaxLength(7);
        month.setValue(YearMonth.now(clock.withZone(ZoneOffset.UTC)).minusMonths(1).toString());
        issue.setId("invoices-issue");
        issue.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        issue.addClickListener(click -> issueMonth());
        HorizontalLayout actions = new HorizontalLayout(month, issue);
        actions.setAlignItems(Alignment.BASELINE);

        grid.setId("invoices-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(Invoice::documentNumber).setHeader("Number").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(i -> i.kind().code().replace('_', ' ')).setHeader("Kind").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(Invoice::accountName).setHeader("Account").setFlexGrow(2);
        grid.addColumn(i -> i.period().label()).setHeader("Period").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(i -> DAY.format(i.issuedAt())).setHeader("Issued").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(i -> Money.format(i.usage().negate())).setHeader("Charges").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(i -> Money.format(i.tax())).setHeader("Tax").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(i -> Money.format(i.totalDue())).setHeader("Total").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        grid.addColumn(Invoice::currency).setHeader("Cur.").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(new ComponentRenderer<>(this::downloads)).setHeader("Files").setAutoWidth(true).setFlexGrow(0);
        grid.setSizeFull();
        add(new H2("Invoices"), actions, grid);
        refresh();
    }

    private HorizontalLayout downloads(Invoice invoice) {
        Anchor pdf = new Anchor((DownloadHandler) event -> {
            event.setFileName(invoice.documentNumber() + ".pdf");
            event.setContentType("application/pdf");
            invoices.writePdf(invoices.find(caller(), invoice.id()).orElseThrow(), event.getOutputStream());
        }, "PDF");
        Anchor csv = new Anchor((DownloadHandler) event -> {
            event.setFileName(invoice.documentNumber() + ".csv");
            event.setContentType("text/csv; charset=UTF-8");
            Writer writer = new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8);
            invoices.writeCsv(invoices.find(caller(), invoice.id()).orElseThrow(), writer);
            writer.flush();
        }, "CSV");
        pdf.getElement().setAttribute("download", true);
        csv.getElement().setAttribute("download", true);
        return new HorizontalLayout(pdf, csv);
    }

    /** The signed-in user, captured now: a download runs on a thread without the security context. */
    private final Caller viewer = ViewCaller.current();

    private Caller caller() {
        return viewer;
    }

    void issueMonth() {
        FieldMessages messages = new FieldMessages().bind("month", month);
        Outcome<YearMonth> parsed = InvoiceService.month(month.getValue());
        if (!(parsed instanceof Outcome.Done<YearMonth> m)) {
            messages.show(((Outcome.Invalid<YearMonth>) parsed).fields());
            return;
        }
        messages.clear();
        Outcome<InvoiceService.RunSummary> outcome = invoices.issueAll(ViewCaller.current(), m.value());
        if (outcome instanceof Outcome.Done<InvoiceService.RunSummary> done) {
            InvoiceService.RunSummary s = done.value();
            String text = s.issued() + " invoice(s) issued for " + s.month() + ", " + s.alreadyIssued() + " already issued";
            if (s.failures().isEmpty()) {
                FieldMessages.done(text);
            } else {
                FieldMessages.error(text + "; " + s.failures().size() + " failed: " + String.join("; ", s.failures().subList(0, Math.min(3, s.failures().size()))));
            }
        } else {
            FieldMessages.error(outcome.message());
        }
        refresh();
    }

    void refresh() {
        Caller current = caller();
        grid.setItems(query -> invoices.list(current, null, query.getOffset(), query.getLimit()).stream());
    }
}
