package io.tandem.softswitch.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Calls spread over the capture nodes, and what moves when one is added (seeded: replays the same). */
class CaptureNodesTest {
    private static final int CALLS = 60_000;

    private static List<UUID> calls(long seed) {
        Random random = new Random(seed);
        return java.util.stream.IntStream.range(0, CALLS)
            .mapToObj(i -> new UUID(random.nextLong() & ~0xF000L | 0x4000L, random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L))
            .toList();
    }

    @Test
    void callsSpreadEvenlyOverThreeNodes() {
        CaptureNodes nodes = new CaptureNodes(List.of("a", "b", "c"));
        Map<String, Integer> counts = new HashMap<>();
        calls(18).forEach(id -> counts.merge(nodes.ownerOf(id), 1, Integer::sum));
        assertThat(counts).containsOnlyKeys("a", "b", "c");
        counts.values().forEach(n -> assertThat(n).isBetween(CALLS / 3 * 95 / 100, CALLS / 3 * 105 / 100));
    }

    @Test
    void addingAFourthNodeMovesAboutAQuarterOfTheCallsAllToIt() {
        CaptureNodes three = new CaptureNodes(List.of("a", "b", "c"));
        CaptureNodes four = new CaptureNodes(List.of("a", "b", "c", "d"));
        int moved = 0;
        for (UUID id : calls(18)) {
            String before = three.ownerOf(id);
            String after = four.ownerOf(id);
            if (!before.equals(after)) {
                moved++;
                assertThat(after).as("a moved call goes to the new node only").isEqualTo("d");
            }
        }
        assertThat((double) moved / CALLS).isBetween(0.23, 0.27);
    }

    @Test
    void oneNodeKeepsEveryCallAndTheHashIsStable() {
        CaptureNodes self = new CaptureNodes(List.of("node-1"));
        calls(5).stream().limit(100).forEach(id -> assertThat(self.ownerOf(id)).isEqualTo("node-1"));
        // fixed points, so a change to the hash (which would move stored captures) shows here
        assertThat(JumpHash.bucket(0L, 10)).isZero();
        assertThat(JumpHash.bucket(1L, 1)).isZero();
        int[] hits = new int[7];
        for (long k = 0; k < 7_000; k++) {
            hits[JumpHash.bucket(k * 0x9E3779B97F4A7C15L, 7)]++;
        }
        for (int h : hits) {
            assertThat(h).isBetween(850, 1150);
        }
    }
}
