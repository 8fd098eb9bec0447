package io.tandem.console.ui.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.calls.ClusterFixture;
import io.tandem.console.calls.TrafficRecorder.Resolution;
import io.tandem.console.dashboard.DashboardFigures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Dashboard without a browser: anyone signed in sees the cluster's charts and the offline peers. */
class DashboardViewTest extends ClusterFixture {

    @Autowired
    DashboardFigures figures;

    @Test
    void aFinanceClerkSeesTheChartsPerNodeAndForTheClusterAndTheOfflinePeers() {
        signedInAs("fin", "FINANCE");
        DashboardView view = navigate(DashboardView.class);
        view.show(new DashboardView.Snapshot(figures.traffic(Resolution.SECOND).join(), figures.summary().join()));

        String offline = view.offlinePeers.getElement().getTextRecursively();
        assertThat(offline).contains("dead", "slow", "last seen").doesNotContain("fake");
        String legend = view.cps.getElement().getTextRecursively();
        assertThat(legend).contains("cluster", NODE, "fake");
        assertThat(view.settlements.getElement().getTextRecursively()).contains("0 parked", "0 in the spool");
        assertThat(view.summaryLine.getText()).startsWith("2 of 4 nodes reporting");
    }
}
