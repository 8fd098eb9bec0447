package io.tandem.console.ui.trunks;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.data.provider.DataProvider;
import com.vaadin.flow.data.provider.Query;
import io.tandem.billing.account.Account;
import io.tandem.billing.persistence.AccountRepository;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.ManyAccounts;
import io.tandem.console.ui.OpsViewFixture;
import io.tandem.routing.provisioning.IngressTrunk;
import java.util.List;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A carrier with more accounts than any list a picker could hold: the trunk editor's account
 * picker asks the server for the names the operator types, so an account far past the first 1,000 is found,
 * picked and saved, and the grid names it.
 */
class TrunkAccountPickerTest extends OpsViewFixture {

    private static final int EXTRA_ACCOUNTS = 1_100;
    private static final String PREFIX = ManyAccounts.PREFIX;

    @Autowired
    DSLContext dsl;

    @Autowired
    AccountRepository accounts;

    @BeforeEach
    void manyAccounts() {
        ManyAccounts.insert(dsl, EXTRA_ACCOUNTS);
    }

    @AfterEach
    void removeThem() {
        ManyAccounts.remove(dsl);
    }

    @Test
    void anOperatorPicksACustomerBeyondTheFirstThousandAccountsByTypingItsName() {
        signedInAs("olga", ConsoleRole.OPERATOR);
        navigate(TrunksView.class);
        test($(Button.class).id("trunks-new")).click();
        TrunkEditor editor = $(TrunkEditor.class).single();

        // every one of them is offered, not only a first page
        test(editor.account).setFilter(PREFIX);
        @SuppressWarnings("unchecked")
        DataProvider<Account, String> offers = (DataProvider<Account, String>) editor.account.getDataProvider();
        assertThat(offers.size(new Query<>(PREFIX))).isEqualTo(EXTRA_ACCOUNTS);
        assertThat(offers.fetch(new Query<>(1_050, 50, List.of(), null, PREFIX)).map(Account::name).toList())
                .startsWith(PREFIX + "1051").endsWith(PREFIX + "1100");
        test(editor.account).setFilter(PREFIX + "1099");
        List<Account> offered = test(editor.account).getSuggestionItems();
        assertThat(offered).extracting(Account::name).containsExactly(PREFIX + "1099");
        Account far = offered.getFirst();
        assertThat(accounts.list(0, 1000)).extracting(Account::id).doesNotContain(far.id());

        test(editor.account).selectItem(editor.account.getItemLabelGenerator().apply(far));
        test(editor.name).setValue("picker-trunk");
        test(editor.sourceCidrs).setValue("198.51.100.77/32");
        test($(Button.class).id("trunk-save")).click();

        TrunksView view = $(TrunksView.class).single();
        test(view.search).setValue("picker-trunk");
        @SuppressWarnings("unchecked")
        Grid<IngressTrunk> grid = $(Grid.class).id("trunks-grid");
        assertThat(test(grid).size()).isEqualTo(1);
        assertThat(test(grid).getRow(0).accountId()).isEqualTo(far.id());
        assertThat(test(grid).getCellText(0, 1)).isEqualTo(PREFIX + "1099");

        // opened again, the editor shows the account it belongs to
        test(grid).clickRow(0);
        TrunkEditor again = $(TrunkEditor.class).last();
        assertThat(again.account.getValue()).isNotNull();
        assertThat(again.account.getValue().id()).isEqualTo(far.id());
    }
}
