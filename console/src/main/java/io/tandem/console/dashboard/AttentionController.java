package io.tandem.console.dashboard;

import io.tandem.console.dashboard.DashboardFigures.NodeAttention;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What this node holds that needs a look, for the dashboards of its peers: {@code GET /api/v1/cluster/attention}
 * answers its open vendor breakers, parked settlements and spool depth (all per node; the shared database has none).
 */
@RestController
public class AttentionController {

    private final DashboardFigures figures;

    public AttentionController(DashboardFigures figures) {
        this.figures = figures;
    }

    @GetMapping("/api/v1/cluster/attention")
    public NodeAttention attention() {
        return figures.localAttention();
    }
}
