package io.tandem.console.ui.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.grid.Grid;
import io.tandem.console.audit.persistence.AuditLogRepository.AuditEntry;
import io.tandem.console.change.FieldChanges;
import io.tandem.console.routing.ProfileRequest;
import io.tandem.console.routing.ProfileView;
import io.tandem.console.routing.RoutingService;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.OpsViewFixture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AuditViewTest extends OpsViewFixture {

    @Autowired
    RoutingService routing;

    @Test
    void financeFiltersByActorAndSeesAnUpdateBeforeAndAfter() {
        signedInAs("audrey", ConsoleRole.OPERATOR);
        ProfileView profile = ((Outcome.Done<ProfileView>) routing.createProfile(
                new ProfileRequest("Audited", "lcr", null, null, false, 3))).value();
        routing.updateProfile(profile.id(), new ProfileRequest("Audited", "priority", null, null, false, 4));

        signedInAs("fiona", ConsoleRole.FINANCE);
        AuditView view = navigate(AuditView.class);
        test(view.actor).setValue("audrey");
        @SuppressWarnings("unchecked")
        Grid<AuditEntry> grid = $(Grid.class).id("audit-grid");
        assertThat(test(grid).size()).isEqualTo(2);
        AuditEntry update = test(grid).getRow(0);
        assertThat(update.action()).isEqualTo("update");

        test(grid).clickRow(0);
        @SuppressWarnings("unchecked")
        Grid<FieldChanges.Change> changes = $(Grid.class).id("audit-changes");
        assertThat(changes.getListDataView().getItems()).containsExactly(
                new FieldChanges.Change("strategy", "lcr", "priority"), new FieldChanges.Change("maxAttempts", "3", "4"));
    }

    @Test
    void anOperatorCannotReadTheAuditLog() {
        signedInAs("otto", ConsoleRole.OPERATOR);
        assertThat(landsOn(AuditView.class)).isFalse();
    }
}
