package io.tandem.console.ui.invoices;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.ui.BrowserlessConsoleTest;
import io.tandem.console.ui.ConsoleRole;
import org.junit.jupiter.api.Test;

/** Finance closes a month in the console: the run issues every customer's invoice once, and the list shows them. */
class InvoicesViewTest extends BrowserlessConsoleTest {

    @Test
    void financeIssuesTheMonthOnceAndSeesTheInvoicesListed() {
        signIn("fiona", ConsoleRole.FINANCE);
        InvoicesView view = navigate(InvoicesView.class);
        test(view.month).setValue("2026-11");
        test(view.issue).click();

        int issued = test(view.grid).size();
        assertThat(issued).isPositive();
        assertThat(test(view.grid).getCellText(0, 0)).startsWith("INV-");
        assertThat(test(view.grid).getCellText(0, 3)).isEqualTo("2026-11");

        test(view.issue).click();
        assertThat(test(view.grid).size()).as("a second run issues nothing new").isEqualTo(issued);
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
}
