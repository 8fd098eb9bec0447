package io.tandem.routing.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.routing.RouteTable;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RouteTableHolderTest {

    /** A source whose version the test bumps, and which can be made to fail. */
    static final class FakeSource implements RouteTableSource {
        final AtomicLong version = new AtomicLong(1);
        final AtomicBoolean failing = new AtomicBoolean();

        @Override
        public long currentVersion() {
            return version.get();
        }

        @Override
        public RouteTable load() {
            if (failing.get()) {
                throw new IllegalStateException("database is down");
            }
            return RouteTable.builder(version.get()).build();
        }
    }

    private static void awaitVersion(RouteTableHolder holder, long version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (holder.current().version() != version && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(holder.current().version()).as("version seen within 2 s").isEqualTo(version);
    }

    @Test
    void aNewVersionIsPickedUpByPollingAndAFailedLoadKeepsTheOldTable() throws InterruptedException {
        FakeSource source = new FakeSource();
        try (RouteTableHolder holder = new RouteTableHolder(source, Duration.ofMillis(50)).start()) {
            assertThat(holder.current().version()).isEqualTo(1);

            source.version.set(2);
            awaitVersion(holder, 2);

            source.failing.set(true);
            source.version.set(3);
            Thread.sleep(200);
            assertThat(holder.current().version()).as("the old snapshot stays in service").isEqualTo(2);

            source.failing.set(false);
            awaitVersion(holder, 3);
        }
    }

    @Test
    void pokeReloadsEvenWhenTheVersionDidNotMove() throws InterruptedException {
        FakeSource source = new FakeSource();
        try (RouteTableHolder holder = new RouteTableHolder(source, Duration.ofHours(1)).start()) {
            long before = holder.reloads();
            holder.poke();
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (holder.reloads() == before && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(holder.reloads()).isEqualTo(before + 1);
        }
    }

    /** A storm of peer pokes with nothing changed reloads nothing; a real change is loaded once. */
    @Test
    void aStormOfPeerPokesCostsAReloadOnlyWhenTheDataChanged() throws InterruptedException {
        FakeSource source = new FakeSource();
        try (RouteTableHolder holder = new RouteTableHolder(source, Duration.ofHours(1)).start()) {
            long before = holder.reloads();
            for (int i = 0; i < 10_000; i++) {
                holder.pokeFromPeer();
            }
            Thread.sleep(200);
            assertThat(holder.reloads()).as("nothing changed: nothing reloaded").isEqualTo(before);
            assertThat(holder.peerPokesCoalesced()).isPositive();

            source.version.set(2);
            for (int i = 0; i < 10_000; i++) {
                holder.pokeFromPeer();
            }
            awaitVersion(holder, 2);
            Thread.sleep(200);
            assertThat(holder.reloads()).as("one change, one reload").isEqualTo(before + 1);
        }
    }
}
