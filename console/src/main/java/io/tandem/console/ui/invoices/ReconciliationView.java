package io.tandem.console.ui.invoices;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.UploadHandler;
import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.billing.account.Money;
import io.tandem.billing.reconciliation.MatchTolerance;
import io.tandem.billing.reconciliation.ReconciliationReport;
import io.tandem.billing.reconciliation.VendorCdrMapping;
import io.tandem.console.accounts.AccountSearch;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.invoices.InvoiceService;
import io.tandem.console.invoices.ReconciliationService;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.accounts.ViewCaller;
import io.tandem.console.ui.forms.FieldMessages;
import jakarta.annotation.security.RolesAllowed;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Vendor reconciliation in the console: upload the vendor's CDR file (CSV or .csv.gz), name its columns, and
 * {@link ReconciliationService} matches it with our CDRs of the month in the background; the report lists matched,
 * only-theirs, only-ours and the differences with their totals, and the discrepancies download as CSV.
 */
@Route("vendor-reconciliation")
@PageTitle("Vendor reconciliation · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.FINANCE})
public class ReconciliationView extends VerticalLayout {

    /** One row of the report: what, how many, seconds and money (blank where it does not apply). */
    record ReportRow(String what, String count, String seconds, String amount) {
    }

    private final ReconciliationService reconciliations;
    private final Caller viewer = ViewCaller.current();
    final ComboBox<Account> vendor = new ComboBox<>("Vendor");
    final TextField month = new TextField("Month (YYYY-MM)");
    final Upload upload = new Upload();
    final Span file = new Span("No file yet");
    final TextField connectTime = new TextField("Connect time column");
    final TextField called = new TextField("Called number column");
    final TextField duration = new TextField("Duration column (seconds)");
    final TextField caller = new TextField("Caller column (optional)");
    final TextField amount = new TextField("Amount column (optional)");
    final TextField timeFormat = new TextField("Time format");
    final TextField zone = new TextField("Time zone");
    final Select<String> delimiter = new Select<>();
    final IntegerField windowSeconds = new IntegerField("Window (seconds)");
    final IntegerField durationTolerance = new IntegerField("Duration tolerance (seconds)");
    final TextField amountTolerance = new TextField("Amount tolerance");
    final Button reconcile = new Button("Reconcile");
    final Span status = new Span();
    final Grid<ReportRow> report = new Grid<>(ReportRow.class, false);
    final Anchor discrepancies = new Anchor();
    private File uploaded;
    private String uploadedName;
    /** The reconciliation this view started, done once its result is handed to the UI (tests wait on it). */
    CompletableFuture<Outcome<ReconciliationService.Reconciliation>> running;

    public ReconciliationView(ReconciliationService reconciliations, AccountService accounts, Clock clock) {
        this.reconciliations = reconciliations;
        setSizeFull();
        vendor.setId("reconciliation-vendor");
        vendor.setItemLabelGenerator(Account::name);
        vendor.setItems((com.vaadin.flow.data.provider.CallbackDataProvider.FetchCallback<Account, String>) query ->
                accounts.search(new AccountSearch(query.getFilter().orElse(""), AccountKind.VENDOR), query.getOffset(), query.getLimit()).stream());
        month.setId("reconciliation-month");
        month.setMaxLength(7);
        month.setValue(YearMonth.now(clock.withZone(ZoneOffset.UTC)).minusMonths(1).toString());
        upload.setId("reconciliation-upload");
        upload.setMaxFiles(1);
        upload.setAcceptedFileTypes(".csv", ".gz", ".txt", "text/csv", "application/gzip");
        UI ui = UI.getCurrent();
        upload.setUploadHandler(UploadHandler.toTempFile((metadata, temp) -> ui.access(() -> fileUploaded(metadata.fileName(), temp))));
        file.setId("reconciliation-file");
        connectTime.setValue("connect_time");
        called.setValue("called");
        duration.setValue("duration");
        timeFormat.setValue("iso");
        timeFormat.setHelperText("iso, or a pattern such as yyyy-MM-dd HH:mm:ss");
        zone.setValue("UTC");
        delimiter.setLabel("Delimiter");
        delimiter.setItems(",", ";", "|", "tab");
        delimiter.setValue(",");
        windowSeconds.setValue(5);
        durationTolerance.setValue(1);
        amountTolerance.setValue("0.0001");
        for (TextField field : List.of(connectTime, called, duration, caller, amount, timeFormat, zone)) {
            field.setMaxLength(VendorCdrMapping.MAX_NAME);
        }
        reconcile.setId("reconciliation-run");
        reconcile.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        reconcile.setEnabled(false);
        reconcile.addClickListener(click -> run());
        status.setId("reconciliation-status");

        report.setId("reconciliation-report");
        report.addThemeVariants(GridVariant.LUMO_COMPACT);
        report.setAllRowsVisible(true);
        report.addColumn(ReportRow::what).setHeader("").setAutoWidth(true);
        report.addColumn(ReportRow::count).setHeader("Calls").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        report.addColumn(ReportRow::seconds).setHeader("Seconds").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        report.addColumn(ReportRow::amount).setHeader("Amount").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        report.setVisible(false);
        discrepancies.setText("Discrepancies (CSV)");
        discrepancies.setId("reconciliation-discrepancies");
        discrepancies.setVisible(false);

        add(new H2("Vendor reconciliation"), new FormLayout(vendor, month), upload, file,
                new H3("Columns of their file"), new FormLayout(connectTime, called, duration, caller, amount, timeFormat, zone, delimiter),
                new H3("Matching"), new FormLayout(windowSeconds, durationTolerance, amountTolerance), reconcile, status, report,
                discrepancies);
        addDetachListener(detach -> dropFile());
    }

    void fileUploaded(String name, File temp) {
        dropFile();
        uploaded = temp;
        uploadedName = name;
        file.setText(name + " (" + temp.length() + " bytes)");
        reconcile.setEnabled(true);
        upload.clearFileList();
    }

    private void dropFile() {
        if (uploaded != null) {
            try {
                Files.deleteIfExists(uploaded.toPath());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the uploaded file " + uploaded, e);
            }
            uploaded = null;
        }
    }

    void run() {
        FieldMessages messages = new FieldMessages().bind("vendor", vendor).bind("month", month).bind("connectTime", connectTime)
                .bind("called", called).bind("duration", duration).bind("caller", caller).bind("amount", amount)
                .bind("timeFormat", timeFormat).bind("zone", zone).bind("delimiter", delimiter).bind("windowSeconds", windowSeconds);
        Map<String, String> errors = new LinkedHashMap<>();
        if (vendor.getValue() == null) {
            errors.put("vendor", "choose a vendor");
        }
        Outcome<YearMonth> parsed = InvoiceService.month(month.getValue());
        if (parsed instanceof Outcome.Invalid<YearMonth> invalid) {
            errors.putAll(invalid.fields());
        }
        VendorCdrMapping mapping = new VendorCdrMapping(connectTime.getValue(), blankToNull(caller.getValue()), called.getValue(),
                duration.getValue(), blankToNull(amount.getValue()), timeFormat.getValue(), zone.getValue(),
                ReconciliationService.delimiter(delimiter.getValue()));
        errors.putAll(mapping.problems());
        Outcome<MatchTolerance> tolerance = ReconciliationService.tolerance(windowSeconds.getValue() == null ? -1 : windowSeconds.getValue(),
                durationTolerance.getValue() == null ? -1 : durationTolerance.getValue(), amountTolerance.getValue());
        if (tolerance instanceof Outcome.Invalid<MatchTolerance> invalid) {
            errors.putAll(invalid.fields());
        }
        if (!errors.isEmpty()) {
            messages.show(errors);
            return;
        }
        messages.clear();
        File theirs = uploaded;
        String name = uploadedName;
        uploaded = null;
        reconcile.setEnabled(false);
        status.setText("Reconciling " + name + " against our CDRs of " + month.getValue() + "…");
        UI ui = UI.getCurrent();
        running = reconciliations.reconcileInBackground(viewer, vendor.getValue().id(), ((Outcome.Done<YearMonth>) parsed).value(), mapping,
                        ((Outcome.Done<MatchTolerance>) tolerance).value(), name, () -> open(theirs))
                .whenComplete((outcome, failure) -> {
                    try {
                        Files.deleteIfExists(theirs.toPath());
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot delete the uploaded file " + theirs, e);
                    } finally {
                        ui.access(() -> done(outcome, failure, messages));
                    }
                });
    }

    private static java.io.InputStream open(File file) {
        try {
            return Files.newInputStream(file.toPath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded file " + file, e);
        }
    }

    private void done(Outcome<ReconciliationService.Reconciliation> outcome, Throwable failure, FieldMessages messages) {
        if (failure != null) {
            status.setText("Failed: " + failure.getMessage());
            FieldMessages.error("The reconciliation failed: " + failure.getMessage());
            return;
        }
        switch (outcome) {
            case Outcome.Done<ReconciliationService.Reconciliation> done -> show(done.value());
            case Outcome.Invalid<ReconciliationService.Reconciliation> invalid -> {
                status.setText("Refused: " + String.join("; ", invalid.fields().values()));
                messages.show(invalid.fields());
            }
            default -> {
                status.setText(outcome.message());
                FieldMessages.error(outcome.message());
            }
        }
    }

    private void show(ReconciliationService.Reconciliation done) {
        ReconciliationReport r = done.report();
        status.setText(r.theirRows() + " rows of theirs (" + r.outsidePeriod() + " outside the month), " + r.ourCalls()
                + " calls of ours; disputed " + Money.format(r.disputedAmount()));
        report.setItems(List.of(
                new ReportRow("Matched", String.valueOf(r.matched()), r.matchedTheirSeconds() + " / " + r.matchedOurSeconds(),
                        Money.format(r.matchedTheirAmount()) + " / " + Money.format(r.matchedOurAmount())),
                new ReportRow("Only theirs", String.valueOf(r.onlyTheirs()), String.valueOf(r.onlyTheirsSeconds()),
                        Money.format(r.onlyTheirsAmount())),
                new ReportRow("Only ours", String.valueOf(r.onlyOurs()), String.valueOf(r.onlyOursSeconds()), Money.format(r.onlyOursAmount())),
                new ReportRow("Duration differences", String.valueOf(r.durationDifferences()), String.valueOf(r.durationDifferenceSeconds()), ""),
                new ReportRow("Amount differences", String.valueOf(r.amountDifferences()), "", Money.format(r.amountDifference())),
                new ReportRow("Their total", "", "", Money.format(r.theirTotal())),
                new ReportRow("Our total", "", "", Money.format(r.ourTotal())),
                new ReportRow("Disputed (theirs − ours)", "", "", Money.format(r.disputedAmount()))));
        report.setVisible(true);
        java.util.UUID id = done.id();
        discrepancies.setHref((DownloadHandler) event -> {
            event.setFileName("reconciliation-" + id + ".csv");
            event.setContentType("text/csv; charset=UTF-8");
            reconciliations.discrepancies(viewer, id).ifPresent(path -> {
                try {
                    Files.copy(path, event.getOutputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot send " + path, e);
                }
            });
        });
        discrepancies.getElement().setAttribute("download", true);
        discrepancies.setVisible(true);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
