package io.tandem.softswitch.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The wire format of a cluster event: its JSON, its seal and the replay window. */
class ClusterEventSealTest {

    static final long NOW_MICROS = 1_765_000_000_000_000L;
    final ClusterEventSeal seal = new ClusterEventSeal("a-shared-cluster-key-0123");
    final ClusterEventCodec codec = new ClusterEventCodec();

    static ClusterEnvelope envelope(long seq, long sentAt) {
        Binding binding = new Binding("alice", 7, "sip:alice@192.0.2.7:5062", new InetSocketAddress("192.0.2.7", 5062), "UDP",
                1_765_000_600_000L, "call-1", 3, 1_765_000_000_000_001L, "node-1");
        return new ClusterEnvelope("node-1", seq, sentAt, new ClusterEvent(ClusterEvent.Kind.REGISTER, binding));
    }

    @Test
    void anEventSurvivesTheWireUnchanged() throws Exception {
        ClusterEnvelope sent = envelope(42, NOW_MICROS);

        assertThat(codec.decode(codec.encode(sent))).isEqualTo(sent);
    }

    @Test
    void aContactsQCrossesTheWireAndAnEarlierPeersEventWithoutOneMeansOne() throws Exception {
        ClusterEnvelope plain = envelope(43, NOW_MICROS);
        Binding b = plain.event().binding();
        ClusterEnvelope weighted = new ClusterEnvelope("node-1", 44, NOW_MICROS, new ClusterEvent(ClusterEvent.Kind.REGISTER,
                new Binding(b.aor(), b.trunkId(), b.contact(), b.source(), b.transport(), b.expiresAtMillis(), b.callId(), b.cseq(),
                        b.version(), b.node(), 500)));

        assertThat(codec.decode(codec.encode(weighted)).event().binding().q()).isEqualTo(500);
        String withoutQ = new String(codec.encode(plain), StandardCharsets.UTF_8).replace(",\"q\":1000", "");
        assertThat(withoutQ).doesNotContain("\"q\"");
        assertThat(codec.decode(withoutQ.getBytes(StandardCharsets.UTF_8)).event().binding().q()).isEqualTo(Binding.DEFAULT_Q);
        assertThatThrownBy(() -> codec.decode(new String(codec.encode(plain), StandardCharsets.UTF_8).replace("\"q\":1000", "\"q\":1001")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("q:");
    }

    @Test
    void theSealVerifiesOnlyTheBodyItWasMadeForAndOnlyWithTheKey() {
        byte[] body = codec.encode(envelope(1, NOW_MICROS));
        String header = seal.seal(body);

        assertThat(seal.verify(body, header)).isTrue();
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"trunkId\":7", "\"trunkId\":8").getBytes(StandardCharsets.UTF_8);
        assertThat(seal.verify(tampered, header)).as("another trunk written into a sealed body").isFalse();
        assertThat(new ClusterEventSeal("another-key-of-an-outsider").verify(body, header)).isFalse();
        assertThat(seal.verify(body, null)).isFalse();
        assertThat(seal.verify(body, "hmac-sha256=!!!")).isFalse();
    }

    @Test
    void aShortKeyIsRefusedAtStart() {
        assertThatThrownBy(() -> new ClusterEventSeal("short")).hasMessageContaining("tandem.cluster.event-key");
    }

    @Test
    void aMalformedEventNamesTheFieldAtFault() {
        String body = new String(codec.encode(envelope(1, NOW_MICROS)), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decode(body.replace("\"192.0.2.7\"", "\"phone.example.com\"").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("sourceIp");
        assertThatThrownBy(() -> codec.decode(body.replace("\"register\"", "\"steal\"").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> codec.decode(body.replace("\"v\":1", "\"v\":2").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("version");
        assertThatThrownBy(() -> codec.decode(body.replace("alice", "a".repeat(65)).getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("aor");
        assertThatThrownBy(() -> codec.decode("{".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not JSON");
    }

    @Test
    void theReplayWindowTakesEachSequenceNumberOnceEvenOutOfOrder() {
        ReplayWindow window = new ReplayWindow(30_000_000);

        assertThat(window.admit(envelope(10, NOW_MICROS), NOW_MICROS)).isNull();
        assertThat(window.admit(envelope(12, NOW_MICROS), NOW_MICROS)).isNull();
        assertThat(window.admit(envelope(11, NOW_MICROS), NOW_MICROS)).as("reordered by UDP").isNull();
        assertThat(window.admit(envelope(11, NOW_MICROS), NOW_MICROS)).isEqualTo("replayed");
        assertThat(window.admit(envelope(12 + ReplayWindow.WIDTH, NOW_MICROS), NOW_MICROS)).isNull();
        assertThat(window.admit(envelope(12, NOW_MICROS), NOW_MICROS)).contains("below the replay window");
    }

    @Test
    void anOldCaptureIsRefusedWhateverItsSequenceNumber() {
        ReplayWindow window = new ReplayWindow(30_000_000);

        assertThat(window.admit(envelope(1, NOW_MICROS - 31_000_000), NOW_MICROS)).contains("outside the replay window");
        assertThat(window.admit(envelope(2, NOW_MICROS + 31_000_000), NOW_MICROS)).contains("outside the replay window");
    }
}
