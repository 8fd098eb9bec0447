package io.tandem.softswitch.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Port pairs go to the media loop carrying the fewest, so every loop carries its share (issue #17). */
class MediaLoopsTest {

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(3, NioIoHandler.newFactory());
    private final MediaLoops loops = new MediaLoops(group);

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void idleLoopsAreTakenInTurn() {
        Set<EventLoop> picked = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            picked.add(loops.leastLoaded());
        }
        assertThat(picked).hasSize(3);
    }

    @Test
    void aNewCallGoesWhereLongCallsLeftTheLeastWork() {
        EventLoop a = loops.leastLoaded();
        EventLoop b = loops.leastLoaded();
        EventLoop c = loops.leastLoaded();
        // long calls stay on a and b, c's short call ends
        for (int i = 0; i < 4; i++) {
            loops.pairOpened(a);
            loops.pairOpened(b);
        }
        loops.pairOpened(c);
        loops.pairOpened(c);
        loops.pairClosed(c);
        loops.pairClosed(c);

        for (int i = 0; i < 4; i++) {
            EventLoop next = loops.leastLoaded();
            assertThat(next).isSameAs(c);
            loops.pairOpened(next);
        }
        assertThat(loops.pairsPerLoop()).containsExactly(4, 4, 4);
    }

    @Test
    void callsOnARealRelaySpreadEvenlyOverItsLoops() {
        int base = 2 * java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000, 29_000);
        try (MediaRelay relay = new MediaRelay(new MediaRelayConfig("127.0.0.1", "127.0.0.1", base, base + 39, 2,
                java.time.Duration.ofSeconds(60), java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(2)))) {
            for (int call = 0; call < 5; call++) {
                EventLoop loop = relay.nextLoop();
                relay.openPort(loop);
                relay.openPort(loop);
            }
            int[] perLoop = relay.portPairsPerLoop();
            assertThat(perLoop).hasSize(2);
            assertThat(Math.abs(perLoop[0] - perLoop[1])).isLessThanOrEqualTo(2);
            assertThat(perLoop[0] + perLoop[1]).isEqualTo(10);
        }
    }
}
