package io.tandem.console.ui.accounts;

import io.tandem.console.ui.forms.FieldMessages;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import io.tandem.billing.account.Account;
import io.tandem.billing.account.LedgerEntry;
import io.tandem.console.accounts.AccountService;
import io.tandem.console.accounts.AccountService.MoneyRequest;
import io.tandem.console.service.Outcome;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A top-up or an adjustment with its reason. The dialog draws one idempotency key when it opens and sends it
 * with every click, so a double click or a retry after a timeout moves the money once.
 */
class MoneyDialog extends Dialog {

    /** Sends a money request with the dialog's idempotency key. */
    interface Submit {
        Outcome<LedgerEntry> apply(MoneyRequest request, String idempotencyKey);
    }

    final TextField amount = AccountDialog.money("Amount");
    final TextField reason = new TextField("Reason");
    final Button post = new Button();
    final String idempotencyKey = "console-" + UUID.randomUUID();
    private final FieldMessages messages = new FieldMessages();

    MoneyDialog(Account account, boolean topUp, Submit submit, Consumer<LedgerEntry> posted) {
        setHeaderTitle((topUp ? "Top up " : "Adjust ") + account.name());
        setId("money-dialog");
        amount.setId("money-amount");
        amount.setRequired(true);
        amount.setSuffixComponent(new com.vaadin.flow.component.html.Span(account.currency()));
        amount.setHelperText(topUp ? "Money paid in, e.g. 250.00" : "Positive adds money, negative takes it off");
        reason.setId("money-reason");
        reason.setMaxLength(AccountService.MAX_REFERENCE);
        reason.setRequired(true);
        reason.setHelperText("Shown in the ledger, e.g. the invoice or payment reference");
        messages.bind("amount", amount).bind("reference", reason);
        add(new Paragraph("Balance " + MoneyText.format(account.balance(), account.currency()) + ", available "
                + MoneyText.format(account.available(), account.currency())), new FormLayout(amount, reason));

        post.setText(topUp ? "Top up" : "Adjust");
        post.setId("money-post");
        post.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        post.setDisableOnClick(true);
        post.addClickListener(click -> {
            if (reason.getValue().isBlank()) {
                messages.show(java.util.Map.of("reference", "required: say why the money moves"));
                post.setEnabled(true);
                return;
            }
            Outcome<LedgerEntry> outcome;
            try {
                outcome = submit.apply(new MoneyRequest(amount.getValue().trim(), reason.getValue().trim()), idempotencyKey);
            } catch (org.springframework.security.access.AccessDeniedException refused) {
                FieldMessages.error(refused.getMessage());
                post.setEnabled(true);
                return;
            }
            switch (outcome) {
                case Outcome.Done<LedgerEntry> done -> {
                    close();
                    posted.accept(done.value());
                }
                case Outcome.Invalid<LedgerEntry> invalid -> {
                    messages.show(invalid.fields());
                    post.setEnabled(true);
                }
                default -> {
                    FieldMessages.error(outcome.message());
                    post.setEnabled(true);
                }
            }
        });
        getFooter().add(new Button("Cancel", click -> close()), post);
    }
}
