package io.tandem.console.ui.accounts;

import io.tandem.console.ui.forms.FieldMessages;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.spring.security.AuthenticationContext;
import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountKind;
import io.tandem.console.accounts.AccountSearch;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.routing.RoutingService;
import io.tandem.console.ui.ConsoleRole;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;

/**
 * Customers and vendors: a searchable list with balances, and the selected account's details, money,
 * ledger and blocked destinations. Everyone reads; the buttons a role may not use are hidden, and
 * {@link AccountService} refuses them on the server anyway.
 */
@Route("accounts")
@PageTitle("Accounts · Tandem")
@RolesAllowed({ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE, ConsoleRole.VIEWER})
public class AccountsView extends VerticalLayout {

    final TextField search = new TextField();
    final ComboBox<AccountKind> kind = new ComboBox<>();
    final Grid<Account> grid = new Grid<>();
    final AccountDetail detail;
    final Button create = new Button("New account");
    private final AccountService accounts;

    public AccountsView(AccountService accounts, RoutingService routing, AuthenticationContext authentication) {
        this.accounts = accounts;
        setSizeFull();
        addClassName("tandem-accounts");
        boolean mayEdit = authentication.hasAnyRole(ConsoleRole.ADMIN, ConsoleRole.OPERATOR, ConsoleRole.FINANCE);
        boolean mayMoveMoney = authentication.hasAnyRole(ConsoleRole.ADMIN, ConsoleRole.FINANCE);

        search.setPlaceholder("Search by name");
        search.setId("accounts-search");
        search.setClearButtonVisible(true);
        search.setMaxLength(AccountSearch.MAX_TEXT);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(change -> refresh());
        kind.setItems(List.of(AccountKind.CUSTOMER, AccountKind.VENDOR, AccountKind.BOTH));
        kind.setItemLabelGenerator(k -> switch (k) {
            case CUSTOMER -> "Customers";
            case VENDOR -> "Vendors";
            case BOTH -> "Customer and vendor";
        });
        kind.setPlaceholder("All kinds");
        kind.setClearButtonVisible(true);
        kind.addValueChangeListener(change -> refresh());
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        create.setId("accounts-create");
        create.setVisible(mayEdit);
        create.addClickListener(click -> new AccountDialog(null, request -> accounts.create(ViewCaller.current(), request), saved -> {
            FieldMessages.done("Account " + saved.name() + " created");
            refresh();
            grid.select(saved);
        }).open());
        HorizontalLayout toolbar = new HorizontalLayout(new H2("Accounts"), search, kind, create);
        toolbar.setAlignItems(FlexComponent.Alignment.BASELINE);
        toolbar.setWidthFull();

        grid.setId("accounts-grid");
        grid.setHeightFull();
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(Account::name).setHeader("Name").setFlexGrow(2).setResizable(true);
        grid.addColumn(a -> a.kind().code()).setHeader("Kind").setAutoWidth(true);
        grid.addColumn(a -> MoneyText.format(a.balance(), a.currency())).setHeader("Balance").setTextAlign(ColumnTextAlign.END);
        grid.addColumn(a -> MoneyText.format(a.available(), a.currency())).setHeader("Available").setTextAlign(ColumnTextAlign.END);
        grid.addColumn(a -> a.status().code()).setHeader("Status").setAutoWidth(true)
                .setPartNameGenerator(a -> a.status().code().equals("active") ? "" : "tandem-account-inactive");
        // identified by id, so that a refreshed row with a new balance is still the selected account
        grid.setItems(new CallbackDataProvider<>(query -> accounts.search(currentSearch(), query.getOffset(), query.getLimit()).stream(),
                query -> accounts.count(currentSearch()), Account::id));

        // blocked destinations are routing: operators and administrators change them
        boolean mayBlock = authentication.hasAnyRole(ConsoleRole.ADMIN, ConsoleRole.OPERATOR);
        detail = new AccountDetail(accounts, routing, mayEdit, mayMoveMoney, mayBlock, this::accountChanged);
        grid.asSingleSelect().addValueChangeListener(change -> detail.show(change.getValue()));

        SplitLayout split = new SplitLayout(grid, detail);
        split.setSizeFull();
        split.setSplitterPosition(55);
        add(toolbar, split);
        expand(split);
    }

    AccountSearch currentSearch() {
        return new AccountSearch(search.getValue(), kind.getValue());
    }

    void refresh() {
        grid.getDataProvider().refreshAll();
    }

    private void accountChanged(Account account) {
        grid.getDataProvider().refreshItem(account);
        detail.show(account);
    }
}
