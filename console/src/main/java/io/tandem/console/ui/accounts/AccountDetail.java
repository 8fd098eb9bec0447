package io.tandem.console.ui.accounts;

import io.tandem.console.ui.forms.FieldMessages;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.TextField;
import io.tandem.billing.account.Account;
import io.tandem.billing.account.AccountStatus;
import io.tandem.billing.account.LedgerEntry;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.routing.RoutingService;
import io.tandem.console.service.Outcome;
import io.tandem.routing.persistence.BlockedDestinationRepository.BlockedDestination;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.security.access.AccessDeniedException;

/** The selected account: its money and limits, the actions the user's role allows, its ledger and blocked destinations. */
class AccountDetail extends VerticalLayout {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    static final int MAX_PREFIX = 32;

    private final AccountService accounts;
    private final RoutingService routing;
    private final boolean mayEdit;
    private final boolean mayBlock;
    private final boolean mayMoveMoney;
    private final Consumer<Account> changed;
    final H3 title = new H3();
    final Div summary = new Div();
    final Button edit = new Button("Edit");
    final Button topUp = new Button("Top up");
    final Button adjust = new Button("Adjust");
    final Button suspend = new Button();
    final Grid<LedgerEntry> ledger = new Grid<>();
    final Grid<BlockedDestination> blocked = new Grid<>();
    final TextField blockPrefix = new TextField();
    final TextField blockReason = new TextField();
    private Account account;

    AccountDetail(AccountService accounts, RoutingService routing, boolean mayEdit, boolean mayMoveMoney, boolean mayBlock,
                  Consumer<Account> changed) {
        this.accounts = accounts;
        this.routing = routing;
        this.mayEdit = mayEdit;
        this.mayBlock = mayBlock;
        this.mayMoveMoney = mayMoveMoney;
        this.changed = changed;
        setId("account-detail");
        setSizeFull();
        summary.addClassName("tandem-account-summary");

        edit.setId("account-edit");
        topUp.setId("account-top-up");
        adjust.setId("account-adjust");
        suspend.setId("account-suspend");
        topUp.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        edit.addClickListener(click -> new AccountDialog(account, request -> accounts.update(ViewCaller.current(), account.id(), request),
                saved -> {
                    FieldMessages.done("Saved " + saved.name());
                    changed.accept(saved);
                }).open());
        topUp.addClickListener(click -> openMoneyDialog(true));
        adjust.addClickListener(click -> openMoneyDialog(false));
        suspend.addClickListener(click -> confirmStatusChange());
        HorizontalLayout actions = new HorizontalLayout(edit, topUp, adjust, suspend);

        ledger.setId("account-ledger");
        ledger.addThemeVariants(GridVariant.LUMO_COMPACT);
        ledger.addColumn(e -> TIME.format(e.createdAt())).setHeader("Time (UTC)").setAutoWidth(true);
        ledger.addColumn(e -> e.kind().code()).setHeader("Kind").setAutoWidth(true);
        ledger.addColumn(e -> MoneyText.format(e.amount(), account == null ? "" : account.currency())).setHeader("Amount")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        ledger.addColumn(e -> MoneyText.format(e.balanceAfter(), account == null ? "" : account.currency())).setHeader("Balance after")
                .setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        ledger.addColumn(e -> e.reference() == null || e.reference().isEmpty() ? nullToEmpty(e.callUuid()) : e.reference())
                .setHeader("Reason / call").setFlexGrow(1);
        ledger.addColumn(LedgerEntry::createdBy).setHeader("By").setAutoWidth(true);

        blocked.setId("account-blocked");
        blocked.addThemeVariants(GridVariant.LUMO_COMPACT);
        blocked.addColumn(BlockedDestination::prefix).setHeader("Prefix").setAutoWidth(true);
        blocked.addColumn(BlockedDestination::reason).setHeader("Reason").setFlexGrow(1);
        if (mayBlock) {
            blocked.addComponentColumn(b -> {
                Button remove = new Button("Unblock", click -> unblock(b));
                remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
                return remove;
            }).setAutoWidth(true);
        }
        blockPrefix.setPlaceholder("Prefix, e.g. 4477");
        blockPrefix.setAllowedCharPattern("[0-9]");
        blockPrefix.setMaxLength(MAX_PREFIX);
        blockReason.setPlaceholder("Reason");
        blockReason.setMaxLength(255);
        Button block = new Button("Block", click -> block());
        HorizontalLayout blockForm = new HorizontalLayout(blockPrefix, blockReason, block);
        blockForm.setVisible(mayBlock);
        VerticalLayout blockedTab = new VerticalLayout(blocked, blockForm);
        blockedTab.setPadding(false);
        blockedTab.setSizeFull();

        TabSheet tabs = new TabSheet();
        tabs.add("Ledger", ledger);
        tabs.add("Blocked destinations", blockedTab);
        tabs.setSizeFull();

        add(title, summary, actions, tabs);
        expand(tabs);
        show(null);
    }

    void show(Account shown) {
        this.account = shown;
        boolean present = shown != null;
        title.setText(present ? shown.name() : "Select an account");
        summary.removeAll();
        edit.setVisible(present && mayEdit);
        topUp.setVisible(present && mayMoveMoney);
        adjust.setVisible(present && mayMoveMoney);
        suspend.setVisible(present && mayEdit);
        if (!present) {
            ledger.setItems(List.of());
            blocked.setItems(List.of());
            return;
        }
        String currency = shown.currency();
        summary.add(fact("Balance", MoneyText.format(shown.balance(), currency), "account-balance"),
                fact("Held by live calls", MoneyText.format(shown.held(), currency), "account-held"),
                fact("Available", MoneyText.format(shown.available(), currency), "account-available"),
                fact("Credit limit", MoneyText.format(shown.creditLimit(), currency), null),
                fact("Daily spend limit", MoneyText.limit(shown.dailySpendLimit(), currency), null),
                fact("Calls per second", shown.maxCps() == null ? "no limit" : shown.maxCps().toString(), null),
                fact("Concurrent calls", shown.maxConcurrentCalls() == null ? "no limit" : shown.maxConcurrentCalls().toString(), null),
                fact("Status", shown.status().code(), "account-status"),
                fact("Kind", shown.kind().code() + " · " + currency, null));
        suspend.setText(shown.status() == AccountStatus.ACTIVE ? "Suspend" : "Resume");
        long id = shown.id();
        ledger.setItems(query -> accounts.ledger(id, query.getOffset(), query.getLimit()).orElse(List.of()).stream());
        blocked.setItems(accounts.blockedDestinations(id).orElse(List.of()));
    }

    private static Div fact(String label, String value, String id) {
        Span name = new Span(label);
        name.addClassName("tandem-muted");
        Span shown = new Span(value);
        shown.addClassName("tandem-money");
        if (id != null) {
            shown.setId(id);
        }
        Div fact = new Div(name, shown);
        fact.addClassName("tandem-fact");
        return fact;
    }

    private void openMoneyDialog(boolean isTopUp) {
        long id = account.id();
        new MoneyDialog(account, isTopUp, (request, key) -> isTopUp
                ? accounts.topUp(ViewCaller.current(), id, request, key)
                : accounts.adjust(ViewCaller.current(), id, request, key), entry -> {
                    FieldMessages.done((isTopUp ? "Topped up " : "Adjusted by ") + MoneyText.format(entry.amount(), account.currency()));
                    accounts.find(id).ifPresent(changed);
                }).open();
    }

    private void confirmStatusChange() {
        boolean suspending = account.status() == AccountStatus.ACTIVE;
        ConfirmDialog confirm = new ConfirmDialog(suspending ? "Suspend " + account.name() + "?" : "Resume " + account.name() + "?",
                suspending ? "New calls from and to this account are refused until it is resumed. Calls in progress continue."
                        : "The account may place and carry calls again.",
                suspending ? "Suspend" : "Resume", event -> {
                    long id = account.id();
                    guarded(() -> accounts.setStatus(ViewCaller.current(), id, suspending ? AccountStatus.SUSPENDED : AccountStatus.ACTIVE,
                            suspending ? "suspend" : "resume"), saved -> {
                                FieldMessages.done((suspending ? "Suspended " : "Resumed ") + saved.name());
                                changed.accept(saved);
                            });
                });
        confirm.setCancelable(true);
        confirm.setId("account-status-confirm");
        confirm.open();
    }

    private void block() {
        long id = account.id();
        guarded(() -> routing.block(id, blockPrefix.getValue(), blockReason.getValue()), saved -> {
            blockPrefix.clear();
            blockReason.clear();
            blocked.setItems(accounts.blockedDestinations(id).orElse(List.of()));
            FieldMessages.done("Calls to " + saved.prefix() + " are refused");
        });
    }

    private void unblock(BlockedDestination destination) {
        long id = account.id();
        guarded(() -> routing.unblock(id, destination.id()), removed -> {
            blocked.setItems(accounts.blockedDestinations(id).orElse(List.of()));
            FieldMessages.done("Calls to " + destination.prefix() + " are routed again");
        });
    }

    /** Runs a change; a refusal or a rejection becomes a notification. */
    private static <T> void guarded(java.util.function.Supplier<Outcome<T>> change, Consumer<T> done) {
        Outcome<T> outcome;
        try {
            outcome = change.get();
        } catch (AccessDeniedException refused) {
            FieldMessages.error(refused.getMessage());
            return;
        }
        if (outcome instanceof Outcome.Done<T> d) {
            done.accept(d.value());
        } else {
            FieldMessages.error(outcome.message());
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
