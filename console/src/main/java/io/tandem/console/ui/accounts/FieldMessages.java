package io.tandem.console.ui.accounts;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows a service's field messages next to the fields they name; a message for a field the form does not
 * have goes to a notification, so no message is ever lost.
 */
public final class FieldMessages {

    private final Map<String, HasValidation> fields = new LinkedHashMap<>();

    public FieldMessages bind(String name, HasValidation field) {
        fields.put(name, field);
        return this;
    }

    public void clear() {
        fields.values().forEach(field -> {
            field.setInvalid(false);
            field.setErrorMessage(null);
        });
    }

    public void show(Map<String, String> messages) {
        clear();
        StringBuilder others = new StringBuilder();
        messages.forEach((name, message) -> {
            HasValidation field = fields.get(name);
            if (field == null) {
                others.append(others.isEmpty() ? "" : "; ").append(name).append(": ").append(message);
            } else {
                field.setErrorMessage(message);
                field.setInvalid(true);
            }
        });
        if (!others.isEmpty()) {
            failure(others.toString());
        }
    }

    public static void failure(String message) {
        Notification notification = Notification.show(message, 6000, Notification.Position.TOP_CENTER);
        notification.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    public static void success(String message) {
        Notification notification = Notification.show(message, 3000, Notification.Position.BOTTOM_START);
        notification.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }
}
