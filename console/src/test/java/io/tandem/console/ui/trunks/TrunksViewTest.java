package io.tandem.console.ui.trunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import io.tandem.billing.account.Account;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.trunks.TrunkRequest;
import io.tandem.console.trunks.TrunkService;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.OpsViewFixture;
import io.tandem.routing.provisioning.IngressTrunk;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;

class TrunksViewTest extends OpsViewFixture {

    @Autowired
    TrunkService trunks;

    @Autowired
    AuditLogRepository audit;

    @Test
    void anOperatorCreatesATrunkAndTestsNumbersAgainstItsRules() {
        signedInAs("olga", ConsoleRole.OPERATOR);
        navigate(TrunksView.class);
        test($(Button.class).id("trunks-new")).click();
        TrunkEditor editor = $(TrunkEditor.class).single();

        Account customer = test(editor.account).getSuggestionItems().getFirst();
        test(editor.account).selectItem(editor.account.getItemLabelGenerator().apply(customer));
        test(editor.name).setValue("olga-trunk");
        test(editor.sourceCidrs).setValue("198.51.100.0/24");
        test(editor.techPrefix).setValue("7001");
        test(editor.calleeRules).setValue("^00 =>\n^0([1-9]) => 49$1");

        test(editor.testCallee).setValue("70010044201234");
        assertThat(editor.testResult.getText()).isEqualTo("→ 44201234");
        test(editor.testCallee).setValue("7001030123");
        assertThat(editor.testResult.getText()).isEqualTo("→ 4930123");
        test(editor.testCallee).setValue("0044201234");
        assertThat(editor.testResult.getText()).startsWith("Refused: the number does not start with the tech prefix 7001");

        test($(Button.class).id("trunk-save")).click();
        IngressTrunk saved = trunks.list(null, 0, 1000).stream().filter(t -> t.name().equals("olga-trunk")).findFirst().orElseThrow();
        assertThat(saved.calleeTranslations()).hasSize(2);
        assertThat(saved.techPrefix()).isEqualTo("7001");
        assertThat(audit.find("olga", "create", "ingress_trunk", String.valueOf(saved.id()), null, null, null, 10)).hasSize(1);

        // The grid's search asks the database: "OLGA" finds the new trunk in any case, and 50% matches no name
        // (the % is a character to look for, not a wildcard).
        @SuppressWarnings("unchecked")
        Grid<IngressTrunk> grid = $(Grid.class).id("trunks-grid");
        TrunksView view = $(TrunksView.class).single();
        test(view.search).setValue("OLGA");
        assertThat(test(grid).size()).isEqualTo(1);
        assertThat(test(grid).getRow(0).name()).isEqualTo("olga-trunk");
        test(view.search).setValue("50%");
        assertThat(test(grid).size()).isZero();
        test(view.search).clear();
        assertThat(test(grid).size()).isGreaterThan(1);
    }

    @Test
    void fieldMessagesLandOnTheirFieldsAndNothingIsSaved() {
        signedInAs("olga", ConsoleRole.OPERATOR);
        navigate(TrunksView.class);
        test($(Button.class).id("trunks-new")).click();
        TrunkEditor editor = $(TrunkEditor.class).single();
        test(editor.name).setValue("bad-cidr-trunk");
        test(editor.sourceCidrs).setValue("10.0.0.0/33");
        test($(Button.class).id("trunk-save")).click();

        assertThat(editor.sourceCidrs.isInvalid()).isTrue();
        assertThat(editor.sourceCidrs.getErrorMessage()).contains("sourceCidrs[0]");
        assertThat(editor.account.isInvalid()).isTrue();
        assertThat(trunks.list(null, 0, 1000)).extracting(IngressTrunk::name).doesNotContain("bad-cidr-trunk");
    }

    @Test
    void aViewerReadsButTheServerRefusesTheirChanges() {
        signedInAs("vera", ConsoleRole.VIEWER);
        navigate(TrunksView.class);
        assertThat($(Button.class).withId("trunks-new").exists()).isFalse();
        assertThat(test($(Grid.class).id("trunks-grid")).size()).isPositive();

        TrunkRequest request = new TrunkRequest(1L, "viewer-trunk", List.of("192.0.2.1/32"), null, null, null, null, null, null, null, null,
                null, null, null, null);
        assertThatThrownBy(() -> trunks.create(request)).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> trunks.setEnabled(1, false)).isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void financeCannotOpenTheTrunks() {
        signedInAs("fiona", ConsoleRole.FINANCE);
        assertThat(landsOn(TrunksView.class)).isFalse();
        assertThatThrownBy(() -> trunks.list(null, 0, 10)).isInstanceOf(AccessDeniedException.class);
    }
}
