package io.tandem.console.ui.partners;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.OptionalParameter;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tandem.billing.account.Account;
import io.tandem.console.accounts.AccountRequest;
import io.tandem.console.accounts.AccountSearch;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.partners.PartnerAccess;
import io.tandem.console.partners.PartnerTerms;
import io.tandem.console.security.ApiKeys;
import io.tandem.console.security.persistence.ApiKeyRepository.StoredApiKey;
import io.tandem.console.security.persistence.ConsoleUserRepository.UserSummary;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.accounts.ViewCaller;
import io.tandem.console.ui.forms.FieldMessages;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The carrier's side of partner access, one account at a time: its partner console users (create, disable), its
 * partner API keys (create, the secret shown once; revoke), and its terms (submission policy for a vendor's decks,
 * the account's own notice period, where rate notices and invoices are mailed). Everything through
 * {@link PartnerAccess} and {@link AccountService}, which check the roles again and audit every change. Admins only,
 * like the other users and keys.
 */
@Route("partner-access")
@PageTitle("Partner access · Tandem")
@RolesAllowed(ConsoleRole.ADMIN)
public class PartnerAccessView extends VerticalLayout implements HasUrlParameter<Long> {

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final PartnerAccess access;
    private final AccountService accounts;

    final ComboBox<Account> account = new ComboBox<>("Account");
    final Select<String> submissionPolicy = new Select<>();
    final IntegerField noticeDays = new IntegerField("Notice days (empty: the deck's)");
    final TextField noticeEmail = new TextField("Rate notices to");
    final TextField invoiceEmail = new TextField("Invoices to");
    final Button saveTerms = new Button("Save terms");
    final Grid<UserSummary> users = new Grid<>(UserSummary.class, false);
    final Grid<StoredApiKey> keys = new Grid<>(StoredApiKey.class, false);
    final Button newUser = new Button("New partner user");
    final Button newKey = new Button("New partner API key");
    private final VerticalLayout details = new VerticalLayout();
    /** The secret of the key created last, shown once in a dialog (kept for tests of that dialog). */
    String lastSecret;

    public PartnerAccessView(PartnerAccess access, AccountService accounts) {
        this.access = access;
        this.accounts = accounts;
        setSizeFull();
        account.setId("partner-access-account");
        account.setItemLabelGenerator(a -> a.name() + " (" + a.kind().code() + ")");
        account.setItems((com.vaadin.flow.data.provider.CallbackDataProvider.FetchCallback<Account, String>) query ->
                accounts.search(new AccountSearch(query.getFilter().orElse(""), null), query.getOffset(), query.getLimit()).stream());
        account.setWidth("min(420px, 100%)");
        account.addValueChangeListener(event -> show(event.getValue()));

        submissionPolicy.setId("partner-access-policy");
        submissionPolicy.setLabel("Vendor deck submissions");
        submissionPolicy.setItems("review", "auto");
        submissionPolicy.setItemLabelGenerator(p -> p.equals("auto")
                ? "auto: applied at once when the notice rules hold" : "review: an operator approves or rejects");
        noticeDays.setId("partner-access-notice-days");
        noticeDays.setMin(0);
        noticeDays.setMax(365);
        noticeDays.setHelperText("how far ahead rate increases are announced; for this account it wins over the deck's");
        noticeEmail.setId("partner-access-notice-email");
        noticeEmail.setMaxLength(PartnerAccess.MAX_NOTICE_EMAIL);
        noticeEmail.setHelperText("comma-separated; empty: notices are kept, not mailed");
        invoiceEmail.setId("partner-access-invoice-email");
        invoiceEmail.setMaxLength(PartnerAccess.MAX_NOTICE_EMAIL);
        invoiceEmail.setHelperText("comma-separated; each issued invoice and credit note goes there with its PDF; empty: not mailed");
        saveTerms.setId("partner-access-save-terms");
        saveTerms.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        saveTerms.addClickListener(click -> saveTerms());

        users.setId("partner-access-users");
        users.addThemeVariants(GridVariant.LUMO_COMPACT);
        users.setAllRowsVisible(true);
        users.addColumn(UserSummary::username).setHeader("User").setAutoWidth(true);
        users.addColumn(u -> u.enabled() ? "enabled" : "disabled").setHeader("State").setAutoWidth(true);
        users.addColumn(u -> at(u.createdAt())).setHeader("Created (UTC)").setAutoWidth(true);
        users.addColumn(u -> at(u.lastLoginAt())).setHeader("Last sign-in").setAutoWidth(true);
        users.addComponentColumn(u -> {
            Button disable = new Button("Disable", click -> disableUser(u));
            disable.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            disable.setVisible(u.enabled());
            return disable;
        }).setAutoWidth(true).setFlexGrow(0);
        users.setEmptyStateText("No partner users.");
        newUser.setId("partner-access-new-user");
        newUser.addClickListener(click -> newUser());

        keys.setId("partner-access-keys");
        keys.addThemeVariants(GridVariant.LUMO_COMPACT);
        keys.setAllRowsVisible(true);
        keys.addColumn(StoredApiKey::name).setHeader("Name").setAutoWidth(true);
        keys.addColumn(k -> "tdm_" + k.prefix() + "_…").setHeader("Key").setAutoWidth(true);
        keys.addColumn(StoredApiKey::createdBy).setHeader("Created by").setAutoWidth(true);
        keys.addColumn(k -> at(k.createdAt())).setHeader("Created (UTC)").setAutoWidth(true);
        keys.addColumn(k -> at(k.lastUsedAt())).setHeader("Last used").setAutoWidth(true);
        keys.addColumn(k -> k.revokedAt() == null ? "active" : "revoked " + at(k.revokedAt())).setHeader("State").setAutoWidth(true);
        keys.addComponentColumn(k -> {
            Button revoke = new Button("Revoke", click -> revokeKey(k));
            revoke.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            revoke.setVisible(k.revokedAt() == null);
            return revoke;
        }).setAutoWidth(true).setFlexGrow(0);
        keys.setEmptyStateText("No partner API keys.");
        newKey.setId("partner-access-new-key");
        newKey.addClickListener(click -> newKey());

        details.setPadding(false);
        details.add(new H3("Terms"), new FormLayout(submissionPolicy, noticeDays, noticeEmail, invoiceEmail), saveTerms,
                new H3("Partner console users"), newUser, users, new H3("Partner API keys"), newKey, keys);
        details.setVisible(false);
        add(new H2("Partner access"), new Paragraph("A partner user or key sees its own account only (the My account page and "
                + "/api/v1/partner/…); every other account's data is not found to it."), account, details);
    }

    @Override
    public void setParameter(BeforeEvent event, @OptionalParameter Long accountId) {
        if (accountId != null) {
            accounts.find(accountId).ifPresent(account::setValue);
        }
    }

    private void show(Account selected) {
        details.setVisible(selected != null);
        if (selected == null) {
            return;
        }
        switch (access.access(ViewCaller.current(), selected.id())) {
            case Outcome.Done<PartnerAccess.AccountAccess> done -> {
                PartnerTerms terms = done.value().terms();
                submissionPolicy.setValue(terms.submissionPolicy().code());
                noticeDays.setValue(done.value().account().noticeDays());
                noticeEmail.setValue(terms.noticeEmail());
                invoiceEmail.setValue(terms.invoiceEmail());
                users.setItems(done.value().users());
                keys.setItems(done.value().keys());
            }
            case Outcome<PartnerAccess.AccountAccess> other -> {
                FieldMessages.error(other.message());
                details.setVisible(false);
            }
        }
    }

    private void refresh() {
        Account selected = account.getValue();
        if (selected != null) {
            accounts.find(selected.id()).ifPresent(this::show);
        }
    }

    void saveTerms() {
        Account selected = account.getValue();
        FieldMessages messages = new FieldMessages().bind("submissionPolicy", submissionPolicy).bind("noticeEmail", noticeEmail)
                .bind("invoiceEmail", invoiceEmail).bind("noticeDays", noticeDays);
        Outcome<PartnerTerms> terms = access.setTerms(ViewCaller.current(), selected.id(), submissionPolicy.getValue(),
                noticeEmail.getValue(), invoiceEmail.getValue());
        if (!(terms instanceof Outcome.Done<PartnerTerms>)) {
            showProblem(terms, messages);
            return;
        }
        Account current = accounts.find(selected.id()).orElse(selected);
        if (!java.util.Objects.equals(current.noticeDays(), noticeDays.getValue())) {
            AccountRequest before = AccountRequest.of(current);
            AccountRequest changed = new AccountRequest(before.name(), before.kind(), before.currency(), before.creditLimit(), before.status(),
                    before.maxCps(), before.maxConcurrentCalls(), before.dailySpendLimit(), before.lowBalanceThreshold(),
                    before.suspendAtZero(), null, noticeDays.getValue());
            Outcome<Account> updated = accounts.update(ViewCaller.current(), selected.id(), changed);
            if (!(updated instanceof Outcome.Done<Account>)) {
                showProblem(updated, messages);
                return;
            }
        }
        messages.clear();
        FieldMessages.done("Terms of " + selected.name() + " saved");
        refresh();
    }

    private static void showProblem(Outcome<?> outcome, FieldMessages messages) {
        if (outcome instanceof Outcome.Invalid<?> invalid) {
            messages.show(invalid.fields());
        } else {
            FieldMessages.error(outcome.message());
        }
    }

    void newUser() {
        Account selected = account.getValue();
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("New partner user of " + selected.name());
        TextField username = new TextField("User name");
        username.setId("partner-user-name");
        username.setMaxLength(64);
        PasswordField password = new PasswordField("First password");
        password.setId("partner-user-password");
        password.setHelperText("at least 10 characters; send it to the partner on another channel");
        FieldMessages messages = new FieldMessages().bind("username", username).bind("password", password);
        Button create = new Button("Create", click -> {
            Outcome<UserSummary> created = access.createUser(ViewCaller.current(), selected.id(), username.getValue(), password.getValue());
            if (created instanceof Outcome.Done<UserSummary> done) {
                FieldMessages.done("Partner user " + done.value().username() + " created");
                dialog.close();
                refresh();
            } else {
                showProblem(created, messages);
            }
        });
        create.setId("partner-user-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new FormLayout(username, password));
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), create);
        dialog.open();
    }

    void newKey() {
        Account selected = account.getValue();
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("New partner API key of " + selected.name());
        TextField name = new TextField("Name (who uses it)");
        name.setId("partner-key-name");
        name.setMaxLength(128);
        FieldMessages messages = new FieldMessages().bind("name", name);
        Button create = new Button("Create", click -> {
            Outcome<ApiKeys.IssuedKey> issued = access.issueKey(ViewCaller.current(), selected.id(), name.getValue());
            if (issued instanceof Outcome.Done<ApiKeys.IssuedKey> done) {
                dialog.close();
                refresh();
                showOnce(done.value());
            } else {
                showProblem(issued, messages);
            }
        });
        create.setId("partner-key-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new FormLayout(name));
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), create);
        dialog.open();
    }

    /** The only time the secret is ever shown: only its hash is stored. */
    private void showOnce(ApiKeys.IssuedKey issued) {
        lastSecret = issued.secret();
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Partner API key " + issued.stored().name());
        dialog.setCloseOnOutsideClick(false);
        TextField secret = new TextField("Key");
        secret.setId("partner-key-secret");
        secret.setValue(issued.secret());
        secret.setReadOnly(true);
        secret.setWidthFull();
        dialog.add(new Paragraph("Copy the key now: it is shown this once and cannot be shown again. The partner sends it in the "
                + "X-Api-Key header to /api/v1/partner/…"), secret);
        dialog.setWidth("min(640px, 95vw)");
        Button done = new Button("I have copied it", click -> dialog.close());
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(done);
        dialog.open();
    }

    private void revokeKey(StoredApiKey key) {
        Account selected = account.getValue();
        ConfirmDialog confirm = new ConfirmDialog("Revoke " + key.name() + "?",
                "Requests with this key are refused from now on. This cannot be undone.", "Revoke", event -> revoke(selected, key));
        confirm.setConfirmButtonTheme("error primary");
        confirm.setCancelable(true);
        confirm.open();
    }

    void revoke(Account selected, StoredApiKey key) {
        Outcome<Long> revoked = access.revokeKey(ViewCaller.current(), selected.id(), key.id());
        if (!(revoked instanceof Outcome.Done<Long>)) {
            FieldMessages.error(revoked.message());
        }
        refresh();
    }

    private void disableUser(UserSummary user) {
        Account selected = account.getValue();
        ConfirmDialog confirm = new ConfirmDialog("Disable " + user.username() + "?",
                "The user can no longer sign in.", "Disable", event -> disable(selected, user));
        confirm.setConfirmButtonTheme("error primary");
        confirm.setCancelable(true);
        confirm.open();
    }

    void disable(Account selected, UserSummary user) {
        Outcome<Long> disabled = access.disableUser(ViewCaller.current(), selected.id(), user.id());
        if (!(disabled instanceof Outcome.Done<Long>)) {
            FieldMessages.error(disabled.message());
        }
        refresh();
    }

    private static String at(Instant instant) {
        return instant == null ? "" : AT.format(instant);
    }
}
