package io.tandem.console.ui.invoices;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.textfield.TextField;
import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.console.accounts.AccountSearch;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.ui.BrowserlessConsoleTest;
import io.tandem.console.ui.ConsoleRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Finance at month end in the console: the run issues every customer's invoice once in the background, a credit note
 * is refused beyond what the invoice charged, a vendor's statement, and a vendor's CDR file reconciled.
 */
class InvoicesViewTest extends BrowserlessConsoleTest {

    @Autowired
    AccountService accounts;

    /** What the background thread handed to the UI with {@code ui.access}: the test thread holds the session's lock. */
    private static void runPendingUiUpdates() {
        com.vaadin.flow.server.VaadinSession session = com.vaadin.flow.server.VaadinSession.getCurrent();
        session.getService().runPendingAccessTasks(session);
    }

    private InvoicesView issued(InvoicesView view) throws Exception {
        test(view.issue).click();
        view.running.get(120, TimeUnit.SECONDS);
        runPendingUiUpdates();
        return view;
    }

    @Test
    void financeIssuesTheMonthOnceInTheBackgroundAndSeesTheInvoicesListed() throws Exception {
        signIn("fiona", ConsoleRole.FINANCE);
        InvoicesView view = navigate(InvoicesView.class);
        test(view.month).setValue("2026-11");
        issued(view);

        int issued = test(view.grid).size();
        assertThat(issued).isPositive();
        assertThat(test(view.grid).getCellText(0, 0)).startsWith("INV-");
        assertThat(test(view.grid).getCellText(0, 3)).isEqualTo("2026-11");
        assertThat(view.issue.isEnabled()).isTrue();
        assertThat(view.progressText.getText()).startsWith("Run for 2026-11 done: ").endsWith(" accounts");
        assertThat(view.progress.getValue()).isEqualTo(1.0);

        issued(view);
        assertThat(test(view.grid).size()).as("a second run issues nothing new").isEqualTo(issued);
    }

    @Test
    void aCreditNoteBeyondWhatTheInvoiceChargedIsAFieldMessage() throws Exception {
        signIn("fiona", ConsoleRole.FINANCE);
        InvoicesView view = navigate(InvoicesView.class);
        test(view.month).setValue("2026-10");
        issued(view);
        var invoice = view.grid.getLazyDataView().getItems().filter(i -> i.kind() == io.tandem.billing.invoicing.InvoiceKind.INVOICE)
                .findFirst().orElseThrow();
        view.creditNote(invoice);
        test($(TextField.class).id("credit-note-amount")).setValue("1000000000");
        test($(TextField.class).id("credit-note-reason")).setValue("goodwill");
        test($(Button.class).id("credit-note-create")).click();

        TextField amount = $(TextField.class).id("credit-note-amount");
        assertThat(amount.isInvalid()).isTrue();
        assertThat(amount.getErrorMessage()).startsWith("at most ");
    }

    @Test
    void aMonthThatIsNotAMonthIsAFieldMessage() {
        signIn("fiona", ConsoleRole.FINANCE);
        InvoicesView view = navigate(InvoicesView.class);
        test(view.month).setValue("Nov 2026");
        test(view.issue).click();

        assertThat(view.month.isInvalid()).isTrue();
        assertThat(view.month.getErrorMessage()).contains("YYYY-MM");
    }

    private Account vendorA() {
        return accounts.search(new AccountSearch("Vendor A", AccountKind.VENDOR), 0, 1).getFirst();
    }

    @Test
    void financeReadsAVendorsStatement() {
        signIn("fiona", ConsoleRole.FINANCE);
        VendorStatementsView view = navigate(VendorStatementsView.class);
        view.vendor.setValue(vendorA());
        test(view.month).setValue("2026-11");
        test(view.show).click();

        assertThat(view.total.getText()).startsWith("We owe Vendor A ").endsWith(" for 2026-11");
        assertThat(view.downloads.getComponentCount()).as("CSV and PDF").isEqualTo(2);
    }

    @Test
    void financeReconcilesAVendorsFileAndSeesTheCallWeNeverCarried() throws Exception {
        signIn("fiona", ConsoleRole.FINANCE);
        ReconciliationView view = navigate(ReconciliationView.class);
        view.vendor.setValue(vendorA());
        test(view.month).setValue("2026-11");
        Path theirs = Files.createTempFile("theirs-", ".csv");
        Files.writeString(theirs, "Connect Time;Dialled;Secs;Charge\n2026-11-03 10:15:30;+99 555 0100;61;0.250000\n",
                StandardCharsets.UTF_8);
        view.fileUploaded("theirs.csv", theirs.toFile());
        test(view.connectTime).setValue("Connect Time");
        test(view.called).setValue("Dialled");
        test(view.duration).setValue("Secs");
        test(view.amount).setValue("Charge");
        test(view.timeFormat).setValue("yyyy-MM-dd HH:mm:ss");
        view.delimiter.setValue(";");
        test(view.reconcile).click();
        view.running.get(120, TimeUnit.SECONDS);
        runPendingUiUpdates();

        assertThat(view.report.isVisible()).isTrue();
        var onlyTheirs = view.report.getListDataView().getItems().filter(r -> r.what().equals("Only theirs")).findFirst().orElseThrow();
        assertThat(onlyTheirs.count()).isEqualTo("1");
        assertThat(onlyTheirs.seconds()).isEqualTo("61");
        assertThat(onlyTheirs.amount()).isEqualTo("0.250000");
        assertThat(view.discrepancies.isVisible()).isTrue();
        assertThat(Files.exists(theirs)).as("the upload is deleted once read").isFalse();
    }

    @Test
    void aMappingWithoutTheCalledColumnIsAFieldMessage() throws Exception {
        signIn("fiona", ConsoleRole.FINANCE);
        ReconciliationView view = navigate(ReconciliationView.class);
        view.vendor.setValue(vendorA());
        Path theirs = Files.createTempFile("theirs-", ".csv");
        Files.writeString(theirs, "connect_time,called,duration\n", StandardCharsets.UTF_8);
        view.fileUploaded("theirs.csv", theirs.toFile());
        test(view.called).setValue("");
        test(view.reconcile).click();

        assertThat(view.called.isInvalid()).isTrue();
        assertThat(view.running).isNull();
    }
}
