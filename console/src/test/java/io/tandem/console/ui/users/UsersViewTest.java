package io.tandem.console.ui.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.service.Outcome;
import io.tandem.console.security.ApiKeys;
import io.tandem.console.security.persistence.ConsoleUserRepository;
import io.tandem.console.security.persistence.ConsoleUserRepository.UserSummary;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.OpsViewFixture;
import io.tandem.console.users.ConsoleUsers;
import io.tandem.console.users.NewUser;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.crypto.password.PasswordEncoder;

class UsersViewTest extends OpsViewFixture {

    @Autowired
    ConsoleUsers users;

    @Autowired
    ConsoleUserRepository repository;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    AuditLogRepository audit;

    @Test
    void anAdminCreatesAnOperatorWhosePasswordIsStoredHashedAndNeverAudited() {
        signedInAs("admin", ConsoleRole.ADMIN);
        UsersView view = navigate(UsersView.class);
        test($(Button.class).id("users-new")).click();
        test($(TextField.class).id("new-user-name")).setValue("oscar");
        test($(PasswordField.class).id("new-user-password")).setValue("oscar-password-1");
        @SuppressWarnings("unchecked")
        CheckboxGroup<String> roles = $(CheckboxGroup.class).id("new-user-roles");
        roles.setValue(Set.of(ConsoleRole.OPERATOR));
        test($(Button.class).id("new-user-create")).click();

        assertThat(view.users.getListDataView().getItems()).extracting(UserSummary::username).contains("oscar");
        var stored = repository.findByUsername("oscar").orElseThrow();
        assertThat(stored.roles()).containsExactly("operator");
        assertThat(stored.passwordHash()).isNotEqualTo("oscar-password-1");
        assertThat(passwords.matches("oscar-password-1", stored.passwordHash())).isTrue();
        assertThat(audit.find("admin", null, "console_user", null, null, null, null, 50))
                .allSatisfy(entry -> assertThat(entry.detail()).doesNotContain("oscar-password-1"));
    }

    @Test
    void anApiKeyIsShownOnceInADialogAndOnlyItsHashIsKept() {
        signedInAs("admin", ConsoleRole.ADMIN);
        navigate(UsersView.class);
        $(com.vaadin.flow.component.tabs.TabSheet.class).single().setSelectedIndex(1);
        test($(Button.class).id("keys-new")).click();
        test($(TextField.class).id("new-key-name")).setValue("grafana");
        test($(Button.class).id("new-key-create")).click();

        String secret = $(TextField.class).id("new-key-secret").getValue();
        assertThat(secret).startsWith("tdm_");
        assertThat(apiKeys.authenticate(secret)).isPresent();
        assertThat(apiKeys.list()).allSatisfy(key -> assertThat(key.hash()).isNotEqualTo(secret));
    }

    @Test
    void everyoneChangesTheirOwnPasswordProvingTheCurrentOne() {
        signedInAs("admin", ConsoleRole.ADMIN);
        users.create(new NewUser("petra", "petra-password-1", Set.of(ConsoleRole.VIEWER)));
        signedInAs("petra", ConsoleRole.VIEWER);
        PasswordView view = navigate(PasswordView.class);
        test(view.current).setValue("wrong-password-1");
        test(view.replacement).setValue("petra-password-2");
        test(view.repeated).setValue("petra-password-2");
        test($(Button.class).id("password-change")).click();
        assertThat(view.current.isInvalid()).isTrue();

        test(view.current).setValue("petra-password-1");
        test($(Button.class).id("password-change")).click();
        assertThat(passwords.matches("petra-password-2", repository.findByUsername("petra").orElseThrow().passwordHash())).isTrue();
    }

    @Test
    void onlyAnAdminManagesUsersAndAnAdminCannotLockThemselfOut() {
        signedInAs("otto", ConsoleRole.OPERATOR);
        assertThat(landsOn(UsersView.class)).isFalse();
        assertThatThrownBy(() -> users.create(new NewUser("mallory", "mallory-password", Set.of(ConsoleRole.ADMIN))))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> users.issueKey("sneaky", "admin")).isInstanceOf(AccessDeniedException.class);

        signedInAs("admin", ConsoleRole.ADMIN);
        long self = repository.findByUsername("admin").orElseThrow().id();
        assertThat(users.setEnabled(self, false)).isInstanceOf(Outcome.Invalid.class);
        assertThat(users.create(new NewUser("x", "short", Set.of()))).isInstanceOfSatisfying(Outcome.Invalid.class,
                invalid -> assertThat(invalid.fields()).containsKeys("username", "password", "roles"));
    }
}
