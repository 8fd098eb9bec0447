package io.tandem.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedSplitTest {

    @Test
    void firstChoiceFollowsTheWeightsWithinTwoPercentOverTenThousandCalls() {
        RouteTable table = new TableFixture().strategy(Strategy.WEIGHTED).sell("1", "0.010000")
                .vendor(1).buy(1, "1", "0.001000").vendor(2).buy(2, "1", "0.009000").vendor(3).buy(3, "1", "0.005000")
                .vendor(4).buy(4, "1", "0.002000")
                .rule("", 1, 100, 50).rule("", 2, 100, 30).rule("", 3, 100, 20).rule("", 4, 100, 0).build();
        RouteOptions options = RouteOptions.DEFAULT.withRandom(new SplittableRandom(20261122));
        Map<String, Integer> first = new HashMap<>();
        int calls = 10_000;

        for (int i = 0; i < calls; i++) {
            RouteDecision decision = (RouteDecision) table.route(TableFixture.TRUNK, "1555" + i, "", Instant.now(), options);
            first.merge(decision.candidates().get(0).vendorName(), 1, Integer::sum);
            assertThat(decision.candidates()).hasSize(4);
            assertThat(decision.candidates().get(3).vendorName()).as("weight 0 is failover only").isEqualTo("vendor4");
        }

        assertThat(first.get("vendor1") * 100.0 / calls).isBetween(48.0, 52.0);
        assertThat(first.get("vendor2") * 100.0 / calls).isBetween(28.0, 32.0);
        assertThat(first.get("vendor3") * 100.0 / calls).isBetween(18.0, 22.0);
        assertThat(first).doesNotContainKey("vendor4");
    }
}
