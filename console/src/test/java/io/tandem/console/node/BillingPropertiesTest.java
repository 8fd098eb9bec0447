package io.tandem.console.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** How settlements are grouped into transactions is an operator's setting, checked at start. */
class BillingPropertiesTest {

    static TandemProperties.Billing billing(Map<String, String> set) {
        Map<String, String> all = new HashMap<>(set);
        all.put("tandem.data-dir", "./data");
        return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("tandem", TandemProperties.class).billing();
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        TandemProperties.Billing billing = billing(Map.of());
        assertThat(billing.settlementLinger()).isEqualTo(Duration.ofMillis(10));
        assertThat(billing.settlementBatch()).isEqualTo(500);
    }

    @Test
    void anOperatorMayTradeLatencyForFewerCommits() {
        TandemProperties.Billing billing = billing(Map.of("tandem.billing.settlement-linger", "50ms",
                "tandem.billing.settlement-batch", "2000"));
        assertThat(billing.settlementLinger()).isEqualTo(Duration.ofMillis(50));
        assertThat(billing.settlementBatch()).isEqualTo(2000);
    }

    @Test
    void impossibleValuesStopTheNodeWithThePropertysName() {
        assertThatThrownBy(() -> billing(Map.of("tandem.billing.settlement-linger", "2s")))
                .hasRootCauseMessage("tandem.billing.settlement-linger must be between 0 and 1s, not PT2S");
        assertThatThrownBy(() -> billing(Map.of("tandem.billing.settlement-batch", "0")))
                .hasRootCauseMessage("tandem.billing.settlement-batch must be between 1 and 10000, not 0");
    }
}
