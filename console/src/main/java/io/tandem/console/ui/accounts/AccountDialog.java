package io.tandem.console.ui.accounts;

import io.tandem.console.ui.forms.FieldMessages;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextField;
import io.tandem.billing.account.Account;
import io.tandem.console.accounts.AccountRequest;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.service.Outcome;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Creates or edits an account. The form only collects what the user typed; {@link AccountService} validates
 * it and its field messages appear next to the fields.
 */
class AccountDialog extends Dialog {

    static final int MAX_MONEY_CHARACTERS = 24;
    static final int MAX_LIMIT = 1_000_000;

    final TextField name = new TextField("Name");
    final ComboBox<String> kind = new ComboBox<>("Kind", List.of("customer", "vendor", "both"));
    final TextField currency = new TextField("Currency");
    final TextField creditLimit = money("Credit limit");
    final ComboBox<String> status = new ComboBox<>("Status", List.of("active", "suspended", "closed"));
    final IntegerField maxCps = count("Calls per second (empty: no limit)");
    final IntegerField maxConcurrentCalls = count("Concurrent calls (empty: no limit)");
    final TextField dailySpendLimit = money("Daily spend limit (empty: no limit)");
    final TextField lowBalanceThreshold = money("Low-balance warning");
    final IntegerField noticeDays = new IntegerField("Notice days (empty: the deck's)");
    final Checkbox suspendAtZero = new Checkbox("Suspend when the balance reaches zero");
    final TextField openingBalance = money("Opening balance");
    final Button save = new Button("Save");
    private final FieldMessages messages = new FieldMessages();

    /**
     * @param existing the account to edit, or null to create one
     * @param submit   sends the request to the service (create or update)
     * @param saved    called with the saved account
     */
    AccountDialog(Account existing, Function<AccountRequest, Outcome<Account>> submit, Consumer<Account> saved) {
        setHeaderTitle(existing == null ? "New account" : "Edit " + existing.name());
        setId("account-dialog");
        name.setMaxLength(AccountService.MAX_NAME);
        name.setRequired(true);
        name.setId("account-name");
        kind.setRequired(true);
        currency.setMaxLength(3);
        currency.setAllowedCharPattern("[A-Za-z]");
        currency.setHelperText("ISO 4217, e.g. EUR");
        messages.bind("name", name).bind("kind", kind).bind("currency", currency).bind("creditLimit", creditLimit)
                .bind("status", status).bind("maxCps", maxCps).bind("maxConcurrentCalls", maxConcurrentCalls)
                .bind("dailySpendLimit", dailySpendLimit).bind("lowBalanceThreshold", lowBalanceThreshold)
                .bind("openingBalance", openingBalance).bind("noticeDays", noticeDays);

        AccountRequest start = existing == null
                ? new AccountRequest("", "customer", "EUR", "0", "active", null, null, null, null, false, null, null)
                : AccountRequest.of(existing);
        name.setValue(start.name());
        kind.setValue(start.kind());
        currency.setValue(start.currency());
        creditLimit.setValue(text(start.creditLimit()));
        status.setValue(start.status());
        maxCps.setValue(start.maxCps());
        maxConcurrentCalls.setValue(start.maxConcurrentCalls());
        dailySpendLimit.setValue(text(start.dailySpendLimit()));
        lowBalanceThreshold.setValue(text(start.lowBalanceThreshold()));
        suspendAtZero.setValue(Boolean.TRUE.equals(start.suspendAtZero()));
        noticeDays.setValue(start.noticeDays());
        noticeDays.setId("account-notice-days");
        noticeDays.setMin(0);
        noticeDays.setMax(365);
        noticeDays.setHelperText("how far ahead rate increases are announced; empty: the rate deck's");

        FormLayout form = new FormLayout(name, kind, currency, status, creditLimit, lowBalanceThreshold, maxCps, maxConcurrentCalls,
                dailySpendLimit, noticeDays, suspendAtZero);
        if (existing == null) {
            form.add(openingBalance);
        }
        add(form);

        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setId("account-save");
        save.setDisableOnClick(true);
        save.addClickListener(click -> {
            if (maxCps.isInvalid() || maxConcurrentCalls.isInvalid()) {
                save.setEnabled(true);
                return;
            }
            Outcome<Account> outcome;
            try {
                outcome = submit.apply(request(existing == null));
            } catch (org.springframework.security.access.AccessDeniedException refused) {
                FieldMessages.error(refused.getMessage());
                save.setEnabled(true);
                return;
            }
            switch (outcome) {
                case Outcome.Done<Account> done -> {
                    close();
                    saved.accept(done.value());
                }
                case Outcome.Invalid<Account> invalid -> messages.show(invalid.fields());
                default -> FieldMessages.error(outcome.message());
            }
            save.setEnabled(true);
        });
        Button cancel = new Button("Cancel", click -> close());
        getFooter().add(cancel, save);
    }

    AccountRequest request(boolean creating) {
        return new AccountRequest(name.getValue(), kind.getValue(), currency.getValue().toUpperCase(java.util.Locale.ROOT),
                blankToNull(creditLimit.getValue()), status.getValue(), maxCps.getValue(), maxConcurrentCalls.getValue(),
                blankToNull(dailySpendLimit.getValue()), blankToNull(lowBalanceThreshold.getValue()), suspendAtZero.getValue(),
                creating ? blankToNull(openingBalance.getValue()) : null, noticeDays.getValue());
    }

    static TextField money(String label) {
        TextField field = new TextField(label);
        field.setMaxLength(MAX_MONEY_CHARACTERS);
        field.setAllowedCharPattern("[0-9.\\-]");
        field.addClassName("tandem-money");
        return field;
    }

    private static IntegerField count(String label) {
        IntegerField field = new IntegerField(label);
        field.setMin(0);
        field.setMax(MAX_LIMIT);
        field.setStepButtonsVisible(false);
        field.setI18n(new IntegerField.IntegerFieldI18n().setMinErrorMessage("zero or more")
                .setMaxErrorMessage("at most " + MAX_LIMIT).setBadInputErrorMessage("a whole number"));
        return field;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
