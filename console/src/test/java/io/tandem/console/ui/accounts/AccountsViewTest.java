package io.tandem.console.ui.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.billing.account.Account;
import io.tandem.billing.account.LedgerEntry;
import io.tandem.billing.account.LedgerEntryKind;
import io.tandem.console.accounts.AccountSearch;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.accounts.AccountService.MoneyRequest;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.BrowserlessConsoleTest;
import io.tandem.console.ui.ConsoleRole;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;

/** The Accounts view: what each role sees and may do, and that the server refuses what a hidden button would. */
class AccountsViewTest extends BrowserlessConsoleTest {

    @Autowired
    AccountService accounts;

    private Account demoCustomer() {
        return accounts.search(new AccountSearch("Demo Customer", null), 0, 1).getFirst();
    }

    private AccountsView openOnDemoCustomer() {
        AccountsView view = navigate(AccountsView.class);
        test(view.search).setValue("Demo Customer");
        test(view.grid).select(0);
        return view;
    }

    @Test
    void aViewerSeesTheBalanceButNoChangeButtonsAndTheServiceRefusesHerTopUp() {
        signIn("vera", ConsoleRole.VIEWER);
        AccountsView view = openOnDemoCustomer();

        assertThat(view.detail.title.getText()).isEqualTo("Demo Customer");
        assertThat(view.detail.topUp.isVisible()).isFalse();
        assertThat(view.detail.adjust.isVisible()).isFalse();
        assertThat(view.detail.edit.isVisible()).isFalse();
        assertThat(view.create.isVisible()).isFalse();

        long id = demoCustomer().id();
        BigDecimal before = demoCustomer().balance();
        assertThatThrownBy(() -> accounts.topUp(Caller.current("203.0.113.7"), id, new MoneyRequest("10.00", "from a viewer"), "viewer-key"))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("vera may not move money");
        assertThat(demoCustomer().balance()).isEqualByComparingTo(before);
    }

    @Test
    void aTopUpMovesTheMoneyOnceEvenWhenTheSameDialogSendsItTwice() {
        signIn("fiona", ConsoleRole.FINANCE);
        AccountsView view = openOnDemoCustomer();
        long id = demoCustomer().id();
        BigDecimal before = demoCustomer().balance();

        test(view.detail.topUp).click();
        MoneyDialog dialog = $(MoneyDialog.class).single();
        test(dialog.amount).setValue("25.50");
        test(dialog.reason).setValue("wire 2026-12-06");
        test(dialog.post).click();
        // the same dialog's request arriving a second time, as a double click or a retried request would
        Outcome<LedgerEntry> again = accounts.topUp(Caller.current(""), id, new MoneyRequest("25.50", "wire 2026-12-06"), dialog.idempotencyKey);

        assertThat(again).isInstanceOfSatisfying(Outcome.Done.class, done -> assertThat(done.replayed()).isTrue());
        BigDecimal after = before.add(new BigDecimal("25.50"));
        assertThat(demoCustomer().balance()).isEqualByComparingTo(after);
        List<LedgerEntry> ledger = accounts.ledger(id, 0, 10).orElseThrow();
        assertThat(ledger.stream().filter(e -> e.kind() == LedgerEntryKind.TOPUP && "wire 2026-12-06".equals(e.reference()))).hasSize(1);
        assertThat(ledger.getFirst().createdBy()).isEqualTo("fiona");
        assertThat(view.detail.getElement().getTextRecursively()).contains(MoneyText.format(after, "USD"));
    }

    @Test
    void aNegativeTopUpIsAFieldMessageAndNothingMoves() {
        signIn("fiona", ConsoleRole.FINANCE);
        AccountsView view = openOnDemoCustomer();
        BigDecimal before = demoCustomer().balance();

        test(view.detail.topUp).click();
        MoneyDialog dialog = $(MoneyDialog.class).single();
        test(dialog.amount).setValue("-5");
        test(dialog.reason).setValue("refund");
        test(dialog.post).click();

        assertThat(dialog.amount.isInvalid()).isTrue();
        assertThat(dialog.amount.getErrorMessage()).contains("a top-up is positive");
        assertThat(dialog.post.isEnabled()).isTrue();
        assertThat(demoCustomer().balance()).isEqualByComparingTo(before);
    }

    @Test
    void anOperatorEditsLimitsButMovesNoMoney() {
        signIn("otto", ConsoleRole.OPERATOR);
        AccountsView view = openOnDemoCustomer();

        assertThat(view.detail.edit.isVisible()).isTrue();
        assertThat(view.detail.topUp.isVisible()).isFalse();
        test(view.detail.edit).click();
        AccountDialog dialog = $(AccountDialog.class).single();
        test(dialog.maxCps).setValue(25);
        test(dialog.save).click();

        assertThat(demoCustomer().maxCps()).isEqualTo(25);
        assertThatThrownBy(() -> accounts.adjust(Caller.current(""), demoCustomer().id(), new MoneyRequest("1", "x"), null))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void theSearchNarrowsTheListToMatchingNames() {
        signIn("vera", ConsoleRole.VIEWER);
        AccountsView view = navigate(AccountsView.class);
        test(view.search).setValue("vendor");

        assertThat(test(view.grid).size()).isEqualTo(2);
        assertThat(test(view.grid).getRow(0).name()).isEqualTo("Vendor A");
    }
}
