package io.tandem.console.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The TCP/TLS connection limits, the SIP event loops and the UDP receive queue are an operator's settings, checked at start. */
class SipConnectionPropertiesTest {

    static TandemProperties.Sip sip(Map<String, String> set) {
        Map<String, String> all = new HashMap<>(set);
        all.put("tandem.data-dir", "./data");
        return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("tandem", TandemProperties.class).sip();
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        TandemProperties.Sip sip = sip(Map.of());
        assertThat(sip.maxConnectionsPerAddress()).isEqualTo(64);
        assertThat(sip.connectionIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(sip.eventLoops()).isZero();
        assertThat(sip.udpReceiveBuffer().toBytes()).isEqualTo(4L * 1024 * 1024);
    }

    @Test
    void aCarrierExpectingBurstsAsksForALargerUdpQueue() {
        assertThat(sip(Map.of("tandem.sip.udp-receive-buffer", "32MB")).udpReceiveBuffer().toBytes()).isEqualTo(32L * 1024 * 1024);
    }

    @Test
    void anSbcThatOpensManyConnectionsGetsARaisedCap() {
        TandemProperties.Sip sip = sip(Map.of("tandem.sip.max-connections-per-address", "500",
                "tandem.sip.connection-idle-timeout", "90s", "tandem.sip.event-loops", "4"));
        assertThat(sip.maxConnectionsPerAddress()).isEqualTo(500);
        assertThat(sip.connectionIdleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(sip.eventLoops()).isEqualTo(4);
    }

    @Test
    void impossibleValuesStopTheNodeWithThePropertysName() {
        assertThatThrownBy(() -> sip(Map.of("tandem.sip.max-connections-per-address", "0")))
                .hasRootCauseMessage("tandem.sip.max-connections and max-connections-per-address must be at least 1");
        assertThatThrownBy(() -> sip(Map.of("tandem.sip.connection-idle-timeout", "0s")))
                .hasRootCauseMessage("tandem.sip.connection-idle-timeout must be positive");
        assertThatThrownBy(() -> sip(Map.of("tandem.sip.event-loops", "-1")))
                .hasRootCauseMessage("tandem.sip.event-loops must be 0 (one per core) to 256");
        assertThatThrownBy(() -> sip(Map.of("tandem.sip.udp-receive-buffer", "1KB")))
                .hasRootCauseMessage("tandem.sip.udp-receive-buffer must be 64KB to 1GB, not 1024B");
        assertThatThrownBy(() -> sip(Map.of("tandem.sip.udp-receive-buffer", "2GB")))
                .hasRootCauseMessage("tandem.sip.udp-receive-buffer must be 64KB to 1GB, not 2147483648B");
    }
}
