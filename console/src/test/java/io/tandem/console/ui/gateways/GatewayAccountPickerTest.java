package io.tandem.console.ui.gateways;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import io.tandem.billing.account.Account;
import io.tandem.billing.persistence.AccountRepository;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.ManyAccounts;
import io.tandem.console.ui.OpsViewFixture;
import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The gateway editor's vendor picker asks the server as the operator types: any of 1,100 more accounts is found. */
class GatewayAccountPickerTest extends OpsViewFixture {

    private static final String PREFIX = ManyAccounts.PREFIX;

    @Autowired
    DSLContext dsl;

    @Autowired
    AccountRepository accounts;

    @BeforeEach
    void manyAccounts() {
        ManyAccounts.insert(dsl, 1_100);
    }

    @AfterEach
    void removeThem() {
        ManyAccounts.remove(dsl);
    }

    @Test
    void aGatewayGetsAVendorBeyondTheFirstThousandAccounts() {
        signedInAs("otto", ConsoleRole.OPERATOR);
        navigate(GatewaysView.class);
        test($(Button.class).id("gateways-new")).click();
        GatewayEditor editor = $(GatewayEditor.class).single();

        test(editor.account).setFilter("PICKER-1100");
        List<Account> offered = test(editor.account).getSuggestionItems();
        assertThat(offered).extracting(Account::name).containsExactly(PREFIX + "1100");
        assertThat(accounts.list(0, 1000)).extracting(Account::id).doesNotContain(offered.getFirst().id());
        test(editor.account).selectItem(editor.account.getItemLabelGenerator().apply(offered.getFirst()));
        assertThat(editor.account.getValue().id()).isEqualTo(offered.getFirst().id());
        test(editor.name).setValue("picker-gateway");
        test(editor.host).setValue("203.0.113.77");
        test($(Button.class).id("gateway-save")).click();
        GatewaysView view = $(GatewaysView.class).single();
        test(view.search).setValue("picker-gateway");
        @SuppressWarnings("unchecked")
        com.vaadin.flow.component.grid.Grid<io.tandem.routing.provisioning.VendorGateway> grid = $(com.vaadin.flow.component.grid.Grid.class).id("gateways-grid");
        assertThat(test(grid).size()).isEqualTo(1);
        assertThat(test(grid).getRow(0).accountId()).isEqualTo(offered.getFirst().id());
        assertThat(test(grid).getCellText(0, 1)).isEqualTo(PREFIX + "1100");
    }
}
