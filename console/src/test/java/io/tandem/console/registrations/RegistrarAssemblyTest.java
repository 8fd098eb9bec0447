package io.tandem.console.registrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.console.node.TandemProperties;
import io.tandem.softswitch.registrar.ClusterSync;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an operator writes in {@code tandem.cluster.peers[n].sip-address}, and what a mistake there says at start. */
class RegistrarAssemblyTest {

    @Test
    void peersWithASipAddressGetEventsAndOthersAreLeftOut() {
        List<ClusterSync.Peer> peers = RegistrarAssembly.peers(List.of(
                new TandemProperties.Peer("node-2", "http://10.0.0.12:8080", "k", "10.0.0.12:5060"),
                new TandemProperties.Peer("node-3", "http://[2001:db8::3]:8080", "k", "[2001:db8::3]:5070"),
                new TandemProperties.Peer("console-only", "http://10.0.0.20:8080", "k", null)));

        assertThat(peers).containsExactly(new ClusterSync.Peer("node-2", "10.0.0.12", 5060), new ClusterSync.Peer("node-3", "2001:db8::3", 5070));
    }

    @Test
    void aSipAddressThatIsNoIpAndPortStopsTheStartWithThePeersName() {
        for (String wrong : List.of("node2.example.com:5060", "10.0.0.12", "10.0.0.12:0", "10.0.0.12:sip")) {
            assertThatThrownBy(() -> RegistrarAssembly.peers(List.of(new TandemProperties.Peer("node-2", "http://x", "k", wrong))))
                    .as(wrong).hasMessageContaining("node-2").hasMessageContaining("ip:port");
        }
    }
}
