package io.tandem.console.ui.gateways;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.service.Outcome;
import io.tandem.console.gateways.GatewayHealth;
import io.tandem.console.gateways.GatewayService;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.OpsViewFixture;
import io.tandem.routing.provisioning.VendorGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;

class GatewaysViewTest extends OpsViewFixture {

    @Autowired
    GatewayService gateways;

    @Autowired
    AuditLogRepository audit;

    @Test
    void anOperatorEditsAGatewayAndTheAuditSaysWhatChanged() {
        signedInAs("otto", ConsoleRole.OPERATOR);
        navigate(GatewaysView.class);
        @SuppressWarnings("unchecked")
        Grid<VendorGateway> grid = $(Grid.class).id("gateways-grid");
        assertThat(test(grid).size()).isPositive();
        VendorGateway first = test(grid).getRow(0);
        // the grid's search matches a name or a host, in the database and in any case
        GatewaysView view = $(GatewaysView.class).single();
        test(view.search).setValue(first.name().toUpperCase(java.util.Locale.ROOT));
        assertThat(test(grid).size()).isPositive();
        assertThat(test(grid).getRow(0).id()).isEqualTo(first.id());
        test(view.search).setValue("no-such-gateway-" + System.nanoTime());
        assertThat(test(grid).size()).isZero();
        test(view.search).clear();
        VendorGateway before = test(grid).getRow(0);
        // this node runs without SIP: it has no breakers to show
        assertThat(((Span) test(grid).getCellComponent(0, 7)).getText()).isEqualTo("SIP off");

        test(grid).clickRow(0);
        GatewayEditor editor = $(GatewayEditor.class).single();
        test(editor.maxCps).setValue(42);
        test(editor.failoverCodes).setValue("408 503");
        String mediaBefore = before.mediaMode().code();
        String mediaAfter = mediaBefore.equals("relay") ? "bypass" : "relay";
        test(editor.mediaMode).selectItem(mediaAfter);
        test($(Button.class).id("gateway-save")).click();

        VendorGateway after = gateways.find(before.id()).orElseThrow();
        assertThat(after.maxCps()).isEqualTo(42);
        assertThat(after.failoverCodes()).containsExactly(408, 503);
        assertThat(after.host()).isEqualTo(before.host());
        assertThat(after.port()).isEqualTo(before.port());
        String detail = audit.find("otto", "update", "vendor_gateway", String.valueOf(before.id()), null, null, null, 1).getFirst().detail();
        assertThat(detail).contains("maxCps " + before.maxCps() + " -> 42");
        assertThat(after.mediaMode().code()).as("the gateway's own media mode (docs/media.md)").isEqualTo(mediaAfter);
        assertThat(detail).contains("mediaMode " + mediaBefore + " -> " + mediaAfter);
    }

    @Test
    void aBreakerResetOnANodeWithoutSipIsRefusedWithAReasonAndAViewerMayNotReset() {
        signedInAs("otto", ConsoleRole.OPERATOR);
        long id = gateways.list(null, 0, 1).getFirst().id();
        assertThat(gateways.resetBreaker(id)).isInstanceOf(Outcome.Invalid.class);
        assertThat(gateways.health(id).breaker()).isEqualTo(GatewayHealth.SIP_DISABLED);

        signedInAs("vera", ConsoleRole.VIEWER);
        navigate(GatewaysView.class);
        assertThat($(Button.class).withId("gateways-new").exists()).isFalse();
        assertThat($(Button.class).withText("Reset breaker").exists()).isFalse();
        assertThatThrownBy(() -> gateways.resetBreaker(id)).isInstanceOf(AccessDeniedException.class);
    }
}
