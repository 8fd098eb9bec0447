package io.tandem.console.ui.users;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.console.users.ConsoleUsers;
import jakarta.annotation.security.PermitAll;

/** Every signed-in user changes their own password here (linked from the header), proving the current one. */
@Route("password")
@PageTitle("Change password · Tandem")
@PermitAll
public class PasswordView extends VerticalLayout {

    final PasswordField current = new PasswordField("Current password");
    final PasswordField replacement = new PasswordField("New password");
    final PasswordField repeated = new PasswordField("New password again");

    public PasswordView(ConsoleUsers users) {
        addClassName("tandem-password");
        for (PasswordField field : new PasswordField[] {current, replacement, repeated}) {
            field.setMaxLength(ConsoleUsers.MAX_PASSWORD_BYTES);
        }
        current.setId("password-current");
        replacement.setId("password-new");
        repeated.setId("password-repeat");
        replacement.setHelperText("at least " + ConsoleUsers.MIN_PASSWORD + " characters");
        FieldMessages messages = new FieldMessages().bind("currentPassword", current).bind("newPassword", replacement).bind("repeat", repeated);
        Button change = new Button("Change password", click -> {
            if (!replacement.getValue().equals(repeated.getValue())) {
                messages.show(java.util.Map.of("repeat", "the two new passwords differ"));
                return;
            }
            switch (users.changeOwnPassword(current.getValue(), replacement.getValue())) {
                case Outcome.Done<String> done -> {
                    messages.clear();
                    current.clear();
                    replacement.clear();
                    repeated.clear();
                    FieldMessages.done("Password changed");
                }
                case Outcome.Invalid<String>(var fields) -> messages.show(fields);
                case Outcome.NotFound<String> missing -> FieldMessages.error(missing.message());
                case Outcome<String> other -> FieldMessages.error(other.message());
            }
        });
        change.setId("password-change");
        change.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        FormLayout form = new FormLayout(current, replacement, repeated);
        form.setMaxWidth("420px");
        form.setResponsiveSteps(new FormLayout.ResponsiveStep("0", 1));
        add(new H2("Change your password"), form, change);
    }
}
