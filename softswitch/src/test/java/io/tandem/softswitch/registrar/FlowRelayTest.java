package io.tandem.softswitch.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The sealed flow of a relay route: only a node with the cluster key can name a flow the holder follows. */
class FlowRelayTest {

    private final FlowRelay relay = new FlowRelay(new ClusterEventSeal("relay-test-cluster-key"), null, address -> true);

    @Test
    void aSealedFlowReadsBackAsTheSameAddressAndPort() {
        InetSocketAddress flow = new InetSocketAddress("192.0.2.7", 5062);
        InetSocketAddress v6 = new InetSocketAddress("2001:db8::7", 5062);

        assertThat(relay.flowOf(relay.token(flow))).hasValue(flow);
        assertThat(relay.flowOf(relay.token(v6))).hasValue(v6);
        assertThat(relay.routeVia("10.0.0.11", 5060, flow)).startsWith("<sip:10.0.0.11:5060;lr;tandem-flow=192.0.2.7~5062~");
    }

    @Test
    void aConnectionFlowKeepsItsTransportUnderTheSeal() {
        FlowRelay.Flow tcp = new FlowRelay.Flow(new InetSocketAddress("192.0.2.7", 40112), io.tandem.softswitch.sip.codec.SipTransport.TCP);
        String token = relay.token(tcp);

        assertThat(token).startsWith("192.0.2.7~40112~tcp~");
        assertThat(relay.sealedFlow(token)).hasValue(tcp);
        assertThat(relay.sealedFlow(token.replace("~tcp~", "~tls~"))).as("the transport is sealed too").isEmpty();
        assertThat(relay.sealedFlow(relay.token(tcp.address()))).as("a UDP token names the UDP flow")
                .hasValue(new FlowRelay.Flow(tcp.address(), io.tandem.softswitch.sip.codec.SipTransport.UDP));
    }

    @Test
    void anotherKeyAnotherPortOrGarbageNamesNoFlow() {
        String token = relay.token(new InetSocketAddress("192.0.2.7", 5062));
        FlowRelay outsider = new FlowRelay(new ClusterEventSeal("an-outsiders-guess-at-the-key"), null, address -> true);

        assertThat(outsider.flowOf(token)).isEmpty();
        assertThat(relay.flowOf(token.replace("~5062~", "~5063~"))).as("the port is sealed too").isEmpty();
        assertThat(relay.flowOf(token.replace("192.0.2.7", "192.0.2.8"))).isEmpty();
        assertThat(relay.flowOf("192.0.2.7~5062")).isEmpty();
        assertThat(relay.flowOf("")).isEmpty();
        assertThat(relay.flowOf(null)).isEmpty();
    }
}
