package io.tandem.console.ui.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.console.cluster.ClusterNodes;
import io.tandem.console.cluster.ClusterNodes.NodeReport;
import io.tandem.console.calls.ClusterFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Cluster view without a browser: every node with its state, drain buttons for operators only. */
class ClusterViewTest extends ClusterFixture {

    @Autowired
    ClusterNodes nodes;

    private List<String> rows(ClusterView view) {
        return view.grid.getGenericDataView().getItems().map(report -> report.node() + ":" + report.status()).toList();
    }

    @Test
    void everyNodeIsListedWithTheOfflinePeersAndAViewerGetsNoDrainButtons() {
        signedInAs("pat", "VIEWER");
        ClusterView viewerView = navigate(ClusterView.class);
        viewerView.show(nodes.all().join());
        assertThat(rows(viewerView)).containsExactly(NODE + ":up", "fake:up", "dead:offline", "slow:offline");
        assertThat(viewerView.grid.getColumnByKey("actions")).isNull();
        assertThat(viewerView.summary.getText()).startsWith("4 nodes · 2 offline");
        NodeReport dead = viewerView.grid.getGenericDataView().getItems().filter(r -> r.node().equals("dead")).findFirst().orElseThrow();
        assertThat(dead.problem()).isEqualTo("connection refused");
        // the fake peer is a media node: its load shows against its cap; the offline ones show none
        assertThat(viewerView.grid.getColumnByKey("media")).isNotNull();
        assertThat(viewerView.grid.getGenericDataView().getItems().map(ClusterView::mediaLoad).toList())
                .containsExactly("", "1,234 / 5,000", "", "");
    }

    @Test
    void anOperatorGetsDrainButtons() {
        signedInAs("olga", "OPERATOR");
        ClusterView operatorView = navigate(ClusterView.class);
        assertThat(operatorView.grid.getColumnByKey("actions")).isNotNull();
    }
}
