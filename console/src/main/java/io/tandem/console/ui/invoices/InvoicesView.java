package io.tandem.console.ui.invoices;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import io.tandem.billing.account.Money;
import io.tandem.billing.invoicing.Invoice;
import io.tandem.billing.invoicing.InvoiceKind;
import io.tandem.console.invoices.InvoiceRuns;
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
import java.util.concurrent.CompletableFuture;

/**
 * Finance's invoices: every issued invoice and credit note, newest first, with its PDF and CSV and, for an
 * invoice, a credit note; a button issues the invoices of a month for every customer whose cycle ends with it,
 * in the background ({@link InvoiceRuns}) with a progress bar and a notification when it is done.
 */
@Route("invoices")
@PageTitle("Invoices · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.FINANCE})
public class InvoicesView extends VerticalLayout {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final InvoiceService invoices;
    private final InvoiceRuns runs;
    final TextField month = new TextField("Month (YYYY-MM)");
    final Button issue = new Button("Issue the month's invoices");
    final ProgressBar progress = new ProgressBar();
    final Span progressText = new Span();
    final Grid<Invoice> grid = new Grid<>(Invoice.class, false);
    /** The run this view started, done once its summary is handed to the UI (tests wait on it). */
    CompletableFuture<Outcome<InvoiceService.RunSummary>> running;

    public InvoicesView(InvoiceService invoices, InvoiceRuns runs, Clock clock) {
        this.invoices = invoices;
        this.runs = runs;
        setSizeFull();
        month.setId("invoices-month");
        month.setMaxLength(7);
        month.setValue(YearMonth.now(clock.withZone(ZoneOffset.UTC)).minusMonths(1).toString());
        issue.setId("invoices-issue");
        issue.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        issue.addClickListener(click -> issueMonth());
        progress.setId("invoices-progress");
        progress.setWidth("240px");
        progressText.setId("invoices-progress-text");
        HorizontalLayout actions = new HorizontalLayout(month, issue, progress, progressText);
        actions.setAlignItems(Alignment.BASELINE);
        runs.current().ifPresentOrElse(this::showProgress, () -> {
            progress.setVisible(false);
            progressText.setVisible(false);
        });

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
        grid.addComponentColumn(i -> {
            Button credit = new Button("Credit note…", click -> creditNote(i));
            credit.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            credit.setVisible(i.kind() == InvoiceKind.INVOICE);
            return credit;
        }).setAutoWidth(true).setFlexGrow(0);
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
        UI ui = UI.getCurrent();
        Outcome<CompletableFuture<Outcome<InvoiceService.RunSummary>>> started = runs.start(ViewCaller.current(), m.value(),
                p -> ui.access(() -> showProgress(p)));
        if (!(started instanceof Outcome.Done<CompletableFuture<Outcome<InvoiceService.RunSummary>>> run)) {
            FieldMessages.error(started.message());
            return;
        }
        issue.setEnabled(false);
        running = run.value().whenComplete((outcome, failure) -> ui.access(() -> {
            issue.setEnabled(true);
            if (failure != null) {
                FieldMessages.error("The run for " + m.value() + " failed: " + failure.getMessage());
            } else {
                ran(outcome);
            }
            refresh();
        }));
    }

    private void ran(Outcome<InvoiceService.RunSummary> outcome) {
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
    }

    private void showProgress(InvoiceRuns.Progress p) {
        progress.setVisible(true);
        progressText.setVisible(true);
        progress.setValue(p.total() == 0 ? (p.finished() ? 1 : 0) : (double) p.done() / p.total());
        progressText.setText((p.finished() ? "Run for " + p.month() + " done: " : "Issuing " + p.month() + ": ") + p.done() + " of "
                + p.total() + " accounts");
    }

    void creditNote(Invoice invoice) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Credit note against " + invoice.documentNumber());
        TextField amount = new TextField("Amount (" + invoice.currency() + ")");
        amount.setId("credit-note-amount");
        amount.setMaxLength(32);
        amount.setHelperText("at most what the invoice charged, less earlier credit notes");
        TextField reason = new TextField("Reason (the customer reads it)");
        reason.setId("credit-note-reason");
        reason.setMaxLength(InvoiceService.MAX_REASON);
        FieldMessages messages = new FieldMessages().bind("amount", amount).bind("reason", reason);
        Button create = new Button("Issue credit note", click -> {
            Outcome<Invoice> outcome = invoices.creditNote(ViewCaller.current(), invoice.id(), amount.getValue(), reason.getValue());
            if (outcome instanceof Outcome.Done<Invoice> done) {
                FieldMessages.done(done.value().documentNumber() + " issued against " + invoice.documentNumber());
                dialog.close();
                refresh();
            } else if (outcome instanceof Outcome.Invalid<Invoice> invalid) {
                messages.show(invalid.fields());
            } else {
                FieldMessages.error(outcome.message());
            }
        });
        create.setId("credit-note-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new FormLayout(amount, reason));
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), create);
        dialog.open();
    }

    void refresh() {
        Caller current = caller();
        grid.setItems(query -> invoices.list(current, null, query.getOffset(), query.getLimit()).stream());
    }
}
