package io.tandem.console.ui.registrations;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.registrations.RegistrationsOverview;
import io.tandem.console.ui.ConsoleRole;
import io.tandem.console.ui.OpsViewFixture;
import io.tandem.softswitch.registrar.Binding;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Registrations view without a browser: who registered from where, until when, through which node; read-only. */
class RegistrationsViewTest extends OpsViewFixture {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Autowired
    RegistrationsOverview overview;

    @Test
    void viewersAndOperatorsSeeTheRegistrationsAndFinanceDoesNot() {
        signedInAs("pat", ConsoleRole.VIEWER);
        RegistrationsView view = navigate(RegistrationsView.class);
        view.show(overview.current().join());
        assertThat(view.summary.getText()).as("this test node has no SIP, so nothing is registered").startsWith("0 contacts");
        assertThat(view.grid.getColumns()).extracting(c -> c.getKey())
                .containsExactly("trunk", "contact", "source", "transport", "expires", "holder");

        signedInAs("olga", ConsoleRole.OPERATOR);
        assertThat(landsOn(RegistrationsView.class)).isTrue();
        signedInAs("fiona", ConsoleRole.FINANCE);
        assertThat(landsOn(RegistrationsView.class)).isFalse();
    }

    @Test
    void eachContactShowsItsTrunkSourceTransportTimeLeftAndHolderSoonestToExpireFirst() {
        long now = NOW.toEpochMilli();
        List<Binding> bindings = List.of(
                new Binding("pbx1", 41, "sip:pbx1@192.168.1.20:5062;transport=tcp", new InetSocketAddress("192.0.2.7", 40112), "TCP",
                        now + 600_000, "c1", 2, 1, "node-1"),
                new Binding("pbx2", 42, "sip:pbx2@10.1.1.9:5060", new InetSocketAddress("2001:db8::9", 5060), "UDP",
                        now + 45_000, "c2", 2, 1, "node-2"),
                new Binding("gone", 43, "sip:gone@10.1.1.10", new InetSocketAddress("192.0.2.10", 5060), "UDP",
                        now - 1, "c3", 2, 1, "node-2"));
        RegistrationsOverview fixed = new RegistrationsOverview(() -> CompletableFuture.completedFuture(bindings),
                id -> id == 41 ? "pbx-trunk" : "trunk " + id, Clock.fixed(NOW, ZoneOffset.UTC));

        signedInAs("pat", ConsoleRole.VIEWER);
        RegistrationsView view = navigate(RegistrationsView.class);
        view.show(fixed.current().join());

        List<String> rows = view.grid.getGenericDataView().getItems()
                .map(r -> String.join(" | ", r.trunk(), r.contact(), r.source(), r.transport(), RegistrationsView.expires(r), r.holder()))
                .toList();
        assertThat(rows).containsExactly(
                "trunk 42 | sip:pbx2@10.1.1.9:5060 | [2001:db8:0:0:0:0:0:9]:5060 | UDP | 45 s | node-2",
                "pbx-trunk | sip:pbx1@192.168.1.20:5062;transport=tcp | 192.0.2.7:40112 | TCP | 10 min 0 s | node-1");
        assertThat(view.summary.getText()).isEqualTo("2 contacts · held by 2 nodes");
    }
}
