package io.tandem.routing.reload;

import io.tandem.routing.RouteTable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the node's current {@link RouteTable} and replaces it when the configuration changes.
 * A single background thread polls the version stamp (every second by default) and, when it moved
 * or {@link #poke()} asked, builds the new snapshot beside the old one and swaps one reference.
 * Calls read {@link #current()} and never wait for a reload; the old snapshot is garbage once the
 * last call using it is done. A failed load is logged and retried at the next poll, the old
 * snapshot staying in service.
 */
public final class RouteTableHolder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RouteTableHolder.class);

    private final RouteTableSource source;
    private final Duration pollInterval;
    private final AtomicReference<RouteTable> current = new AtomicReference<>();
    private final AtomicLong reloads = new AtomicLong();
    private final ScheduledExecutorService poller;
    private volatile boolean forced;
    private final java.util.concurrent.atomic.AtomicBoolean peerPokeQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong peerPokesCoalesced = new java.util.concurrent.atomic.AtomicLong();

    public RouteTableHolder(RouteTableSource source, Duration pollInterval) {
        this.source = Objects.requireNonNull(source, "source");
        this.pollInterval = pollInterval;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "route-table-reload");
            thread.setDaemon(true);
            return thread;
        });
    }

    public RouteTableHolder(RouteTableSource source) {
        this(source, Duration.ofSeconds(1));
    }

    /** Loads the first snapshot (on the caller's thread, so a node starts routable) and starts polling. */
    public RouteTableHolder start() {
        current.set(source.load());
        reloads.incrementAndGet();
        poller.scheduleWithFixedDelay(this::poll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Route table version {} loaded: {} rates over {} prefixes", current.get().version(),
                current.get().rateCount(), current.get().prefixCount());
        return this;
    }

    /** The snapshot to route with; never null after {@link #start()}. */
    public RouteTable current() {
        return current.get();
    }

    /**
     * The configuration version the source is at now (for the database: one cheap query); above
     * {@code current().version()} while a change is yet to be loaded.
     */
    public long sourceVersion() {
        return source.currentVersion();
    }

    /** Number of snapshots loaded so far, the first included. */
    public long reloads() {
        return reloads.get();
    }

    /** Reload now, e.g. after an import committed here or a peer said so; returns at once. */
    public void poke() {
        forced = true;
        poller.execute(this::poll);
    }

    /**
     * A peer says routing data changed: check the version now instead of at the next poll, and load
     * only if it moved. Pokes that arrive while one is waiting to run are folded into it, so a storm
     * of pokes (a buggy or hostile peer) costs one version query at a time and a reload only when the
     * data really changed. Returns at once.
     */
    public void pokeFromPeer() {
        if (!peerPokeQueued.compareAndSet(false, true)) {
            peerPokesCoalesced.incrementAndGet();
            return;
        }
        poller.execute(() -> {
            peerPokeQueued.set(false);
            poll();
        });
    }

    /** Peer pokes folded into one already waiting. */
    public long peerPokesCoalesced() {
        return peerPokesCoalesced.get();
    }

    private void poll() {
        try {
            RouteTable table = current.get();
            long version = source.currentVersion();
            if (!forced && table != null && version == table.version()) {
                return;
            }
            forced = false;
            long started = System.nanoTime();
            RouteTable next = source.load();
            current.set(next);
            reloads.incrementAndGet();
            log.info("Route table version {} loaded in {} ms: {} rates over {} prefixes", next.version(),
                    (System.nanoTime() - started) / 1_000_000, next.rateCount(), next.prefixCount());
        } catch (RuntimeException e) {
            log.error("Route table reload failed; keeping version {}", current.get() == null ? "none" : current.get().version(), e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
