package io.tandem.console.ui.users;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.tandem.console.service.Outcome;
import io.tandem.console.security.ApiKeys;
import io.tandem.console.security.persistence.ApiKeyRepository.StoredApiKey;
import io.tandem.console.security.persistence.ConsoleUserRepository.UserSummary;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.forms.FieldMessages;
import io.tandem.console.users.ConsoleUsers;
import io.tandem.console.users.NewUser;
import jakarta.annotation.security.RolesAllowed;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Console users with their roles, and API keys (the secret shown once, at creation). Admins only. */
@Route("users")
@PageTitle("Users and API keys · Tandem")
@RolesAllowed(ConsoleRole.ADMIN)
public class UsersView extends VerticalLayout {

    static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final ConsoleUsers access;
    final Grid<UserSummary> users = new Grid<>(UserSummary.class, false);
    final Grid<StoredApiKey> keys = new Grid<>(StoredApiKey.class, false);

    public UsersView(ConsoleUsers access) {
        this.access = access;
        addClassName("tandem-users");
        setSizeFull();

        Button newUser = new Button("New user", click -> newUser());
        newUser.setId("users-new");
        newUser.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        users.setId("users-grid");
        users.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        users.addColumn(UserSummary::username).setHeader("User").setAutoWidth(true);
        users.addColumn(u -> u.roles().stream().map(r -> r.toUpperCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + (u.accountId() == null ? "" : " (account " + u.accountId() + ")")).setHeader("Roles");
        users.addComponentColumn(u -> badge(u.enabled() ? "enabled" : "disabled", u.enabled())).setHeader("State").setAutoWidth(true);
        users.addColumn(u -> at(u.createdAt())).setHeader("Created (UTC)").setAutoWidth(true);
        users.addColumn(u -> at(u.lastLoginAt())).setHeader("Last sign-in").setAutoWidth(true);
        users.addComponentColumn(u -> {
            Button roles = u.partner()
                    ? new Button("Partner access", click -> click.getSource().getUI().ifPresent(ui -> {
                        if (u.accountId() == null) {
                            ui.navigate(io.tandem.console.ui.partners.PartnerAccessView.class);
                        } else {
                            ui.navigate(io.tandem.console.ui.partners.PartnerAccessView.class, u.accountId());
                        }
                    }))
                    : new Button("Roles", click -> roles(u));
            Button password = new Button("Reset password", click -> resetPassword(u));
            Button toggle = new Button(u.enabled() ? "Disable" : "Enable", click -> show(access.setEnabled(u.id(), !u.enabled())));
            toggle.addThemeVariants(u.enabled() ? ButtonVariant.LUMO_ERROR : ButtonVariant.LUMO_SUCCESS);
            for (Button button : new Button[] {roles, password, toggle}) {
                button.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            }
            return new HorizontalLayout(roles, password, toggle);
        }).setAutoWidth(true).setFlexGrow(0);
        VerticalLayout usersTab = new VerticalLayout(newUser, users);
        usersTab.setPadding(false);
        usersTab.setSizeFull();

        Button newKey = new Button("New API key", click -> newKey());
        newKey.setId("keys-new");
        newKey.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        keys.setId("keys-grid");
        keys.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        keys.addColumn(StoredApiKey::name).setHeader("Name").setAutoWidth(true);
        keys.addColumn(k -> "tdm_" + k.prefix() + "_…").setHeader("Key").setAutoWidth(true);
        keys.addColumn(k -> k.role().code()).setHeader("Role").setAutoWidth(true);
        keys.addColumn(StoredApiKey::createdBy).setHeader("Created by").setAutoWidth(true);
        keys.addColumn(k -> at(k.createdAt())).setHeader("Created (UTC)").setAutoWidth(true);
        keys.addColumn(k -> at(k.lastUsedAt())).setHeader("Last used").setAutoWidth(true);
        keys.addComponentColumn(k -> k.revokedAt() == null ? badge("active", true) : badge("revoked " + at(k.revokedAt()), false))
                .setHeader("State").setAutoWidth(true);
        keys.addComponentColumn(k -> {
            Button revoke = new Button("Revoke", click -> revoke(k));
            revoke.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            revoke.setVisible(k.revokedAt() == null);
            return revoke;
        }).setAutoWidth(true).setFlexGrow(0);
        VerticalLayout keysTab = new VerticalLayout(newKey, keys);
        keysTab.setPadding(false);
        keysTab.setSizeFull();

        TabSheet tabs = new TabSheet();
        tabs.add("Users", usersTab);
        tabs.add("API keys", keysTab);
        tabs.setSizeFull();
        add(new H2("Users and API keys"), tabs);
        refresh();
    }

    void refresh() {
        users.setItems(access.list());
        keys.setItems(access.keys());
    }

    private void show(Outcome<UserSummary> outcome) {
        switch (outcome) {
            case Outcome.Done<UserSummary>(UserSummary user, var replayed) -> FieldMessages.done(user.username() + " saved");
            case Outcome.Invalid<UserSummary>(var fields) -> FieldMessages.error(String.join("; ", fields.values()));
            case Outcome.NotFound<UserSummary> missing -> FieldMessages.error(missing.message());
            case Outcome<UserSummary> other -> FieldMessages.error(other.message());
        }
        refresh();
    }

    void newUser() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("New console user");
        TextField username = new TextField("User name");
        username.setId("new-user-name");
        username.setMaxLength(64);
        username.setRequired(true);
        PasswordField password = new PasswordField("First password");
        password.setId("new-user-password");
        password.setMaxLength(ConsoleUsers.MAX_PASSWORD_BYTES);
        password.setHelperText("at least " + ConsoleUsers.MIN_PASSWORD + " characters; tell the user to change it");
        CheckboxGroup<String> roles = roleChoice();
        roles.setId("new-user-roles");
        FieldMessages messages = new FieldMessages().bind("username", username).bind("password", password).bind("roles", roles);
        Button create = new Button("Create", click -> {
            switch (access.create(new NewUser(username.getValue(), password.getValue(), roles.getValue()))) {
                case Outcome.Done<UserSummary>(UserSummary user, var replayed) -> {
                    FieldMessages.done("User " + user.username() + " created");
                    dialog.close();
                    refresh();
                }
                case Outcome.Invalid<UserSummary>(var fields) -> messages.show(fields);
                case Outcome.NotFound<UserSummary> missing -> FieldMessages.error(missing.message());
                case Outcome<UserSummary> other -> FieldMessages.error(other.message());
            }
        });
        create.setId("new-user-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new FormLayout(username, password, roles));
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), create);
        dialog.open();
    }

    private void roles(UserSummary user) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("Roles of " + user.username());
        CheckboxGroup<String> roles = roleChoice();
        roles.setValue(user.roles().stream().map(r -> r.toUpperCase(Locale.ROOT)).collect(Collectors.toSet()));
        FieldMessages messages = new FieldMessages().bind("roles", roles);
        Button save = new Button("Save", click -> {
            switch (access.setRoles(user.id(), roles.getValue())) {
                case Outcome.Done<UserSummary> done -> {
                    dialog.close();
                    refresh();
                }
                case Outcome.Invalid<UserSummary>(var fields) -> messages.show(fields);
                case Outcome.NotFound<UserSummary> missing -> FieldMessages.error(missing.message());
                case Outcome<UserSummary> other -> FieldMessages.error(other.message());
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(roles);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.open();
    }

    private void resetPassword(UserSummary user) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("New password for " + user.username());
        PasswordField password = new PasswordField("New password");
        password.setMaxLength(ConsoleUsers.MAX_PASSWORD_BYTES);
        password.setHelperText("at least " + ConsoleUsers.MIN_PASSWORD + " characters");
        FieldMessages messages = new FieldMessages().bind("password", password);
        Button save = new Button("Set password", click -> {
            switch (access.resetPassword(user.id(), password.getValue())) {
                case Outcome.Done<UserSummary> done -> {
                    FieldMessages.done("Password of " + user.username() + " set");
                    dialog.close();
                }
                case Outcome.Invalid<UserSummary>(var fields) -> messages.show(fields);
                case Outcome.NotFound<UserSummary> missing -> FieldMessages.error(missing.message());
                case Outcome<UserSummary> other -> FieldMessages.error(other.message());
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(password);
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), save);
        dialog.open();
    }

    void newKey() {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("New API key");
        TextField name = new TextField("Name (who uses it)");
        name.setId("new-key-name");
        name.setMaxLength(128);
        Select<String> role = new Select<>();
        role.setLabel("Role");
        role.setItems("viewer", "operator", "admin", "peer");
        role.setValue("viewer");
        role.setHelperText("viewer reads; operator also provisions; admin also manages keys; peer is another node");
        FieldMessages messages = new FieldMessages().bind("name", name).bind("role", role);
        Button create = new Button("Create", click -> {
            switch (access.issueKey(name.getValue(), role.getValue())) {
                case Outcome.Done<ApiKeys.IssuedKey>(ApiKeys.IssuedKey issued, var replayed) -> {
                    dialog.close();
                    refresh();
                    showOnce(issued);
                }
                case Outcome.Invalid<ApiKeys.IssuedKey>(var fields) -> messages.show(fields);
                case Outcome.NotFound<ApiKeys.IssuedKey> missing -> FieldMessages.error(missing.message());
                case Outcome<ApiKeys.IssuedKey> other -> FieldMessages.error(other.message());
            }
        });
        create.setId("new-key-create");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.add(new FormLayout(name, role));
        dialog.getFooter().add(new Button("Cancel", click -> dialog.close()), create);
        dialog.open();
    }

    /** The only time the secret is ever shown: it is not stored, only its hash. */
    private void showOnce(ApiKeys.IssuedKey issued) {
        Dialog dialog = new Dialog();
        dialog.setHeaderTitle("API key " + issued.stored().name());
        dialog.setCloseOnOutsideClick(false);
        TextField secret = new TextField("Key");
        secret.setId("new-key-secret");
        secret.setValue(issued.secret());
        secret.setReadOnly(true);
        secret.setWidthFull();
        dialog.add(new Paragraph("Copy the key now: it is shown this once and cannot be shown again. Send it in the X-Api-Key header."),
                secret);
        dialog.setWidth("min(640px, 95vw)");
        Button done = new Button("I have copied it", click -> dialog.close());
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        dialog.getFooter().add(done);
        dialog.open();
    }

    private void revoke(StoredApiKey key) {
        ConfirmDialog confirm = new ConfirmDialog("Revoke " + key.name() + "?",
                "Requests with this key are refused from now on. This cannot be undone.", "Revoke", event -> {
                    if (access.revokeKey(key.id()) instanceof Outcome.NotFound<Long> missing) {
                        FieldMessages.error(missing.message());
                    }
                    refresh();
                });
        confirm.setConfirmButtonTheme("error primary");
        confirm.setCancelable(true);
        confirm.open();
    }

    private static CheckboxGroup<String> roleChoice() {
        CheckboxGroup<String> roles = new CheckboxGroup<>("Roles");
        roles.setItems(ConsoleUsers.ROLES);
        roles.setItemLabelGenerator(role -> switch (role) {
            case ConsoleRole.ADMIN -> "ADMIN: everything, users and keys";
            case ConsoleRole.OPERATOR -> "OPERATOR: calls, routing, trunks, gateways";
            case ConsoleRole.FINANCE -> "FINANCE: accounts, decks, CDRs, reports";
            default -> "VIEWER: reads, changes nothing";
        });
        roles.setValue(new HashSet<>(Set.of(ConsoleRole.VIEWER)));
        return roles;
    }

    private static Span badge(String text, boolean good) {
        Span badge = new Span(text);
        badge.getElement().getThemeList().add(good ? "badge success" : "badge contrast");
        return badge;
    }

    private static String at(Instant instant) {
        return instant == null ? "" : AT.format(instant);
    }
}
