package io.tandem.console.ui.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.calls.ClusterFixture;
import io.tandem.console.calls.TrafficRecorder.Resolution;
import io.tandem.console.dashboard.DashboardFigures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Dashboard without a browser: anyone signed in sees the cluster's charts, the offline peers, and the breakers and
 * settlements of every node that answers.
 */
class DashboardViewTest extends ClusterFixture {

    @Autowired
    DashboardFigures figures;

    @Test
    void aFinanceClerkSeesTheChartsPerNodeAndForTheClusterAndTheOfflinePeers() throws InterruptedException {
        signedInAs("fin", "FINANCE");
        DashboardView view = navigate(DashboardView.class);
        view.show(figuresWithTheFakePeer());

        String offline = view.offlinePeers.getElement().getTextRecursively();
        assertThat(offline).contains("dead", "slow", "last seen").doesNotContain("fake");
        String legend = view.cps.getElement().getTextRecursively();
        assertThat(legend).contains("cluster", NODE, "fake");
        // breakers, parked settlements and spools are per node: the peer that answers is added in, the ones
        // that do not are named as not counted, and the page shows the rest
        String settlements = view.settlements.getElement().getTextRecursively();
        assertThat(settlements).contains("3 parked", "7 in the spool", NODE + ": 0 parked, 0 in the spool", "fake: 3 parked, 7 in the spool",
                "dead offline", "slow offline");
        String breakers = view.breakers.getElement().getTextRecursively();
        assertThat(breakers).contains("open on fake", "dead offline").doesNotContain("All closed");
        assertThat(view.summaryLine.getText()).startsWith("2 of 4 nodes reporting");
    }

    /**
     * The figures once the live peer is in them: on a loaded machine its very first answer (a cold JVM's first
     * HTTP exchange) can miss the 700 ms peer timeout, and the summary is then kept for 10 s; the dead and slow
     * peers never answer.
     */
    private DashboardView.Snapshot figuresWithTheFakePeer() throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(40).toNanos();
        while (true) {
            DashboardView.Snapshot snapshot = new DashboardView.Snapshot(figures.traffic(Resolution.SECOND).join(), figures.summary().join());
            boolean complete = snapshot.traffic().byNode().containsKey("fake")
                    && snapshot.summary().byNode().stream().anyMatch(node -> node.node().equals("fake"));
            if (complete || System.nanoTime() > deadline) {
                return snapshot;
            }
            Thread.sleep(1_000);
        }
    }
}
