package io.tandem.console.ui.forms;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows an application service's field messages on the form's fields. A service names fields as
 * the REST API does ({@code name}, {@code sourceCidrs[1]}, {@code digestUsers[0].username}); the
 * message lands on the form field registered under the part before {@code [} or {@code .}, and
 * anything no field claims is shown in a notification, so no message is lost.
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

    public void show(Map<String, String> errors) {
        clear();
        Map<HasValidation, List<String>> byField = new LinkedHashMap<>();
        List<String> unclaimed = new ArrayList<>();
        errors.forEach((name, message) -> {
            HasValidation field = fields.get(root(name));
            String text = name.equals(root(name)) ? message : name + ": " + message;
            if (field == null) {
                unclaimed.add(name + ": " + message);
            } else {
                byField.computeIfAbsent(field, f -> new ArrayList<>()).add(text);
            }
        });
        byField.forEach((field, messages) -> {
            field.setErrorMessage(String.join("; ", messages));
            field.setInvalid(true);
        });
        if (!unclaimed.isEmpty()) {
            error(String.join("\n", unclaimed));
        }
    }

    public static void error(String message) {
        Notification notification = Notification.show(message, 6000, Notification.Position.TOP_CENTER);
        notification.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    public static void done(String message) {
        Notification notification = Notification.show(message, 3000, Notification.Position.BOTTOM_START);
        notification.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }

    static String root(String name) {
        int end = name.length();
        int bracket = name.indexOf('[');
        int dot = name.indexOf('.');
        if (bracket >= 0) {
            end = bracket;
        }
        if (dot >= 0 && dot < end) {
            end = dot;
        }
        return name.substring(0, end);
    }
}
