package io.tandem.softswitch.media.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The choice of a media node and what happens when one is lost; fake nodes, time moved by hand. */
class MediaNodesTest {

    private final HandMovedInstant clock = new HandMovedInstant();
    private final FakeMediaNodeControl control = new FakeMediaNodeControl();
    private final MediaNodes nodes = new MediaNodes(List.of("media-a", "media-b"), control, clock,
            new MediaNodes.Settings(Duration.ofSeconds(15), 5_000, 8, 4));

    private final List<String> lostHeard = new ArrayList<>();
    private final MediaNodes.Member call = new MediaNodes.Member() {
        @Override
        public java.util.UUID call() {
            return java.util.UUID.fromString("00000000-0000-0000-0000-000000000017");
        }

        @Override
        public void mediaNodeLost(String node) {
            lostHeard.add(node);
        }

        @Override
        public void mediaSilent(String node) {
            lostHeard.add("silent on " + node);
        }
    };

    /** A call that nothing is asked of. */
    private static MediaNodes.Member anyCall() {
        java.util.UUID id = java.util.UUID.randomUUID();
        return new MediaNodes.Member() {
            @Override
            public java.util.UUID call() {
                return id;
            }

            @Override
            public void mediaNodeLost(String node) {
            }

            @Override
            public void mediaSilent(String node) {
            }
        };
    }

    private void bothBeat() {
        nodes.heartbeats(Map.of("media-a", clock.instant(), "media-b", clock.instant()));
    }

    @Test
    void aCallGoesToTheLeastLoadedHealthyNode() {
        control.load("media-a", 40, 5_000);
        control.load("media-b", 12, 5_000);
        bothBeat();
        nodes.tick();
        MediaNodes.Placement placed = nodes.place(call);
        assertThat(placed.node()).isEqualTo("media-b");
        assertThat(placed.address()).isEqualTo("192.0.2.2");
    }

    @Test
    void loadIsMeasuredAgainstEachNodesOwnCap() {
        control.load("media-a", 900, 1_000);   // 90 % full
        control.load("media-b", 2_000, 5_000); // 40 % full, more sessions
        bothBeat();
        nodes.tick();
        assertThat(nodes.place(call).node()).isEqualTo("media-b");
    }

    @Test
    void aNodeAtItsCapTakesNoMoreCallsAndNoneIsPlacedWhenAllAreFull() {
        control.load("media-a", 4_999, 5_000);
        control.load("media-b", 5_000, 5_000);
        bothBeat();
        nodes.tick();
        assertThat(nodes.place(call).node()).isEqualTo("media-a");
        // the call placed just now counts before the node's next report
        assertThat(nodes.place(anyCall()) ).isNull();
        assertThat(nodes.loads()).containsEntry("media-a", new MediaNodeControl.NodeLoad(5_000, 5_000));
    }

    @Test
    void aNodeWithoutAHeartbeatIsNeverChosen() {
        nodes.heartbeats(Map.of("media-a", clock.instant()));
        nodes.tick();
        for (int i = 0; i < 3; i++) {
            assertThat(nodes.place(anyCall()).node()).isEqualTo("media-a");
        }
    }

    @Test
    void aNodeWhoseHeartbeatStopsIsLostItsCallsHearItOnceAndNewCallsGoElsewhere() {
        control.load("media-b", 100, 5_000);
        bothBeat();
        nodes.tick();
        assertThat(nodes.place(call).node()).isEqualTo("media-a");
        clock.advance(Duration.ofSeconds(10));
        nodes.heartbeats(Map.of("media-b", clock.instant()));
        assertThat(lostHeard).isEmpty();   // 10 s of silence: still within 15 s
        clock.advance(Duration.ofSeconds(6));
        nodes.heartbeats(Map.of("media-b", clock.instant()));
        assertThat(lostHeard).containsExactly("media-a");
        nodes.tick();
        assertThat(lostHeard).containsExactly("media-a");
        assertThat(nodes.place(anyCall()).node()).isEqualTo("media-b");
        assertThat(nodes.loads()).containsOnlyKeys("media-b");
    }

    @Test
    void aNodeThatFailsAControlCallIsLostAtOnceAndComesBackWhenItAnswersAgain() {
        bothBeat();
        nodes.tick();
        assertThat(nodes.place(call).node()).isEqualTo("media-a");
        control.dead.add("media-a");
        nodes.tick();
        assertThat(lostHeard).containsExactly("media-a");
        assertThat(nodes.place(anyCall()).node()).isEqualTo("media-b");
        control.dead.remove("media-a");
        nodes.heartbeats(Map.of("media-a", clock.instant(), "media-b", clock.instant()));
        nodes.tick();   // the status call answers: healthy again
        nodes.tick();   // and its stock is refilled
        assertThat(nodes.place(anyCall()).node()).isEqualTo("media-a");
    }

    @Test
    void portsComeFromTheStockAndItIsRefilledBeforeItRunsOut() {
        bothBeat();
        nodes.tick();
        MediaNodes.Placement placed = nodes.place(call);
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int[] ports = nodes.takePorts(placed.node(), 2);
            assertThat(ports).as("take %d", i).isNotNull();
            seen.add(ports[0]);
            seen.add(ports[1]);
        }
        assertThat(seen).doesNotHaveDuplicates();
    }

    @Test
    void aReleasedCallFreesItsPlaceOnTheNode() {
        control.load("media-a", 0, 1);
        control.load("media-b", 0, 1);
        bothBeat();
        nodes.tick();
        assertThat(nodes.place(call).node()).isEqualTo("media-a");
        assertThat(nodes.place(anyCall()).node()).isEqualTo("media-b");
        assertThat(nodes.place(anyCall())).isNull();
        nodes.released("media-a", call);
        assertThat(nodes.place(anyCall()).node()).isEqualTo("media-a");
    }
}
