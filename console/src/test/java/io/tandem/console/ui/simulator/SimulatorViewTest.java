package io.tandem.console.ui.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.ui.BrowserlessConsoleTest;
import io.tandem.console.ui.ConsoleRole;
import org.junit.jupiter.api.Test;

/** The route simulator on the demo data: prefix 44 sells at 0.02 and goes to Vendor A (0.012) before Vendor B (0.014). */
class SimulatorViewTest extends BrowserlessConsoleTest {

    @Test
    void showsTheSellRateAndTheVendorsInLeastCostOrderWithTheirMargins() {
        signIn("vera", ConsoleRole.VIEWER);
        SimulatorView view = navigate(SimulatorView.class);
        test(view.trunk).selectItem(view.trunk.getListDataView().getItems().findFirst().map(t -> t.name() + " (#" + t.id() + ")").orElseThrow());
        test(view.number).setValue("442071234567");
        test(view.simulate).click();

        assertThat(view.summary.getText()).startsWith("Routes: sells at 0.02 USD /min").contains("2 vendor(s)");
        assertThat(test(view.candidates).size()).isEqualTo(2);
        assertThat(test(view.candidates).getRow(0).candidate().vendorName()).isEqualTo("Vendor A");
        assertThat(test(view.candidates).getCellText(0, 4)).isEqualTo("0.008 USD");
        assertThat(view.trace.getText()).isNotBlank();
    }

    @Test
    void anEmptyNumberIsAFieldMessage() {
        signIn("vera", ConsoleRole.VIEWER);
        SimulatorView view = navigate(SimulatorView.class);
        test(view.trunk).selectItem(view.trunk.getListDataView().getItems().findFirst().map(t -> t.name() + " (#" + t.id() + ")").orElseThrow());
        test(view.simulate).click();

        assertThat(view.number.isInvalid()).isTrue();
        assertThat(view.number.getErrorMessage()).startsWith("required");
    }
}
