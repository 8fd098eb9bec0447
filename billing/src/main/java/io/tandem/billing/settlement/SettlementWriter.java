package io.tandem.billing.settlement;

import io.tandem.billing.cdr.CdrSpool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes settlements off the call path and writes them in batches on one thread
 * ({@code billing-settlement-writer}): one transaction per batch through the {@link SettlementSink}.
 *
 * <p>When the database fails, the batch goes to the local {@link CdrSpool} (fsync once per batch)
 * and the caller's future completes: an acknowledged settlement is durable either way. While the
 * spool holds anything, new settlements are appended behind it so everything is applied in the
 * order it was acknowledged; every {@link Settings#retryInterval()} the writer replays the spool
 * and clears it once all of it is in the database. Replays are harmless because applying a
 * settlement is idempotent on the call's UUID; a spool left by a crash is replayed at
 * {@link #start()}.
 *
 * <p>A settlement the database refuses while it is reachable (say, an account that does not
 * exist) is retried alone and then parked in the rejected spool with an error log, so one bad
 * record cannot hold up every call behind it.
 */
public final class SettlementWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SettlementWriter.class);

    /**
     * @param maxBatch      settlements per transaction (default 500)
     * @param linger        how long the writer waits for a batch to fill once one settlement arrived (default 2 ms)
     * @param retryInterval pause between replay attempts while the database is down (default 1 s)
     * @param queueCapacity settlements waiting for the writer; {@link #submit} blocks when full (default 100,000)
     *
     * <p>A node takes {@code maxBatch} and {@code linger} from {@code tandem.billing.settlement-batch} and
     * {@code -linger} (10 ms there: fewer, larger commits under load).
     */
    public record Settings(int maxBatch, Duration linger, Duration retryInterval, int queueCapacity) {

        public static Settings defaults() {
            return new Settings(500, Duration.ofMillis(2), Duration.ofSeconds(1), 100_000);
        }

        public Settings withRetryInterval(Duration interval) {
            return new Settings(maxBatch, linger, interval, queueCapacity);
        }

        public Settings withBatching(int batch, Duration wait) {
            return new Settings(batch, wait, retryInterval, queueCapacity);
        }
    }

    private record Pending(Settlement settlement, CompletableFuture<Void> done) {
    }

    private final SettlementSink store;
    private final CdrSpool spool;
    private final CdrSpool rejected;
    private final Settings settings;
    private final Consumer<BalanceEvent> events;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong replayedDuplicates = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong rejectedCount = new AtomicLong();
    private volatile boolean running = true;
    private long nextReplayAttemptNanos;
    private boolean outageLogged;

    /**
     * @param spool    the durable spool (replayed at {@link #start()})
     * @param rejected where settlements the database refuses are parked for an operator
     * @param events   receives balance events after their batch committed, on the writer thread
     */
    public SettlementWriter(SettlementSink store, CdrSpool spool, CdrSpool rejected, Settings settings,
                            Consumer<BalanceEvent> events) {
        this.store = store;
        this.spool = spool;
        this.rejected = rejected;
        this.settings = settings;
        this.events = events;
        this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
        this.thread = Thread.ofPlatform().name("billing-settlement-writer").daemon().unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /**
     * Queues a settlement. The future completes once it is committed to the database or fsynced to
     * the spool; it fails only if neither was possible (then nothing was acknowledged). Blocks while
     * the queue is full: call it from a worker thread, never an event loop.
     */
    public CompletableFuture<Void> submit(Settlement settlement) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("Settlement writer is closed"));
            return done;
        }
        try {
            queue.put(new Pending(settlement, done));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Settlements applied to the database (including replays from the spool). */
    public long applied() {
        return applied.get();
    }

    /** Settlements that had been applied before (a replay that changed nothing). */
    public long duplicates() {
        return replayedDuplicates.get();
    }

    /** Settlements written to the spool because the database was unavailable. */
    public long spooled() {
        return spooled.get();
    }

    /** Settlements parked since start (refused by the database, or settled with CDRs it refused), less those replayed. */
    public long rejected() {
        return rejectedCount.get();
    }

    /** Records waiting in the spool for the database. */
    public long spoolBacklog() {
        return spool.records();
    }

    /** Drains the queue (to the database or the spool) and stops the writer thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while waiting for the settlement writer to drain; {} left queued", queue.size());
        }
    }

    private void run() {
        replayIfDue(true);
        List<Pending> batch = new ArrayList<>(settings.maxBatch());
        while (running || !queue.isEmpty()) {
            try {
                batch.clear();
                Pending first = queue.poll(Math.min(100, settings.retryInterval().toMillis()), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    long lingerNanos = settings.linger().toNanos();
                    long deadline = System.nanoTime() + lingerNanos;
                    while (batch.size() < settings.maxBatch()) {
                        int drained = queue.drainTo(batch, settings.maxBatch() - batch.size());
                        long left = deadline - System.nanoTime();
                        if (drained == 0 && left <= 0) {
                            break;
                        }
                        if (drained == 0) {
                            Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
                            if (next == null) {
                                break;
                            }
                            batch.add(next);
                        }
                    }
                }
                if (!spool.isEmpty()) {
                    replayIfDue(false);
                }
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Settlement writer interrupted; {} settlements still queued are spooled", queue.size());
                List<Pending> rest = new ArrayList<>();
                queue.drainTo(rest);
                toSpool(rest);
                return;
            } catch (RuntimeException e) {
                // Keep the writer alive whatever happens: a dead writer would stall every settlement.
                log.error("Settlement writer failed on a batch of {}; failing their futures", batch.size(), e);
                for (Pending pending : batch) {
                    pending.done().completeExceptionally(e);
                }
            }
        }
    }

    private void write(List<Pending> batch) {
        if (!spool.isEmpty()) {
            toSpool(batch);
            return;
        }
        List<Settlement> settlements = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            settlements.add(pending.settlement());
        }
        try {
            AppliedSettlements result = store.apply(settlements);
            accept(result);
            outageLogged = false;
            for (Pending pending : batch) {
                pending.done().complete(null);
            }
        } catch (RuntimeException e) {
            if (store.reachable()) {
                log.warn("Database refused a batch of {} settlements while reachable ({}); applying them one by one",
                        batch.size(), e.toString());
                for (Pending pending : batch) {
                    applyAlone(pending);
                }
            } else {
                if (!outageLogged) {
                    log.warn("Database unavailable ({}); spooling settlements to {}", e.toString(), spool.file());
                    outageLogged = true;
                }
                nextReplayAttemptNanos = System.nanoTime() + settings.retryInterval().toNanos();
                toSpool(batch);
            }
        }
    }

    private void applyAlone(Pending pending) {
        try {
            accept(store.apply(List.of(pending.settlement())));
            pending.done().complete(null);
        } catch (RuntimeException e) {
            if (!store.reachable()) {
                toSpool(List.of(pending));
                return;
            }
            park(pending.settlement(), e);
            pending.done().complete(null);
        }
    }

    private void park(Settlement settlement, RuntimeException cause) {
        synchronized (rejected) {
            try {
                rejected.append(List.of(SettlementCodec.encode(settlement)));
                rejectedCount.incrementAndGet();
                log.error("Settlement of call {} (account {}, {}) refused by the database; parked in {}",
                        settlement.callUuid(), settlement.customerAccountId(), settlement.charge(), rejected.file(), cause);
            } catch (IOException e) {
                e.addSuppressed(cause);
                throw new UncheckedIOException("Cannot park refused settlement " + settlement.callUuid(), e);
            }
        }
    }

    /**
     * The charge of these calls is in the database, their CDRs are not (the database refused them):
     * the whole settlement is parked, so a replay once the cause is fixed stores the CDRs and, the
     * call being settled already, charges nothing again.
     */
    private void parkCdrs(List<Settlement> settlements, String problem) {
        synchronized (rejected) {
            try {
                List<byte[]> payloads = new ArrayList<>(settlements.size());
                for (Settlement settlement : settlements) {
                    payloads.add(SettlementCodec.encode(settlement));
                    log.error("CDRs of call {} (account {}) refused by the database ({}); the charge of {} is settled, "
                            + "the CDRs are parked in {}", settlement.callUuid(), settlement.customerAccountId(), problem,
                            settlement.charge(), rejected.file());
                }
                rejected.append(payloads);
                rejectedCount.addAndGet(settlements.size());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot park the CDRs of " + settlements.size() + " settled calls", e);
            }
        }
    }

    /** Settlements parked for an operator: refused by the database, or settled with CDRs it refused. */
    public List<Settlement> parked() throws IOException {
        synchronized (rejected) {
            List<Settlement> parked = new ArrayList<>();
            for (byte[] payload : rejected.readAll()) {
                parked.add(SettlementCodec.decode(payload));
            }
            return parked;
        }
    }

    /** What a replay of the parked settlements did. */
    public record ParkedReplay(int applied, int stillParked) {
    }

    /**
     * Applies every parked settlement again, once the operator fixed what the database refused;
     * those it still refuses stay parked. Idempotent on each call: a charge already taken is not
     * taken again, CDRs already stored are not stored twice. Runs on the caller's thread.
     */
    public ParkedReplay replayParked() throws IOException {
        synchronized (rejected) {
            List<byte[]> payloads = rejected.readAll();
            List<byte[]> still = new ArrayList<>();
            int done = 0;
            for (byte[] payload : payloads) {
                Settlement settlement = SettlementCodec.decode(payload);
                try {
                    AppliedSettlements result = store.apply(List.of(settlement));
                    if (result.cdrsNotStored().isEmpty()) {
                        accept(result);
                        done++;
                        continue;
                    }
                    log.warn("Parked CDRs of call {} still refused: {}", settlement.callUuid(), result.cdrProblem());
                } catch (RuntimeException e) {
                    log.warn("Parked settlement of call {} still refused: {}", settlement.callUuid(), e.toString());
                }
                still.add(payload);
            }
            rejected.clear();
            rejected.append(still);
            rejectedCount.addAndGet(-done);
            log.info("Replayed {} parked settlements; {} still parked", done, still.size());
            return new ParkedReplay(done, still.size());
        }
    }

    /** Settlements parked now (refused, or with refused CDRs). */
    public long parkedBacklog() {
        return rejected.records();
    }

    private void toSpool(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<byte[]> records = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            records.add(SettlementCodec.encode(pending.settlement()));
        }
        try {
            spool.append(records);
            spooled.addAndGet(batch.size());
            for (Pending pending : batch) {
                pending.done().complete(null);
            }
        } catch (IOException e) {
            log.error("Cannot write {} settlements to the spool {}; they are NOT acknowledged", batch.size(), spool.file(), e);
            for (Pending pending : batch) {
                pending.done().completeExceptionally(e);
            }
        }
    }

    /** Replays the whole spool in order if the retry interval has passed; clears it when all of it landed. */
    private void replayIfDue(boolean force) {
        if (spool.isEmpty() || (!force && System.nanoTime() - nextReplayAttemptNanos < 0)) {
            return;
        }
        long replayed = 0;
        long position = 0;
        while (true) {
            CdrSpool.Chunk chunk;
            try {
                chunk = spool.read(position, settings.maxBatch());
            } catch (IOException e) {
                log.error("Cannot read the spool {}; will retry", spool.file(), e);
                nextReplayAttemptNanos = System.nanoTime() + settings.retryInterval().toNanos();
                return;
            }
            if (chunk.records().isEmpty()) {
                break;
            }
            List<Settlement> settlements = new ArrayList<>(chunk.records().size());
            for (byte[] record : chunk.records()) {
                settlements.add(SettlementCodec.decode(record));
            }
            if (!replayChunk(settlements)) {
                nextReplayAttemptNanos = System.nanoTime() + settings.retryInterval().toNanos();
                log.debug("Spool replay paused after {} settlements, database still unavailable", replayed);
                return;
            }
            replayed += settlements.size();
            position = chunk.next();
        }
        try {
            spool.clear();
            outageLogged = false;
            log.info("Replayed {} spooled settlements from {} into the database", replayed, spool.file());
        } catch (IOException e) {
            // Everything is applied; a later replay of the same records is a no-op.
            log.error("Replayed the spool {} but cannot clear it; it will be replayed again (harmlessly)", spool.file(), e);
        }
    }

    /** @return false if the database went away (the chunk is to be replayed again later) */
    private boolean replayChunk(List<Settlement> chunk) {
        try {
            accept(store.apply(chunk));
            return true;
        } catch (RuntimeException e) {
            if (!store.reachable()) {
                return false;
            }
        }
        for (Settlement settlement : chunk) {
            try {
                accept(store.apply(List.of(settlement)));
            } catch (RuntimeException single) {
                if (!store.reachable()) {
                    return false;
                }
                park(settlement, single);
            }
        }
        return true;
    }

    private void accept(AppliedSettlements result) {
        if (!result.cdrsNotStored().isEmpty()) {
            parkCdrs(result.cdrsNotStored(), result.cdrProblem());
        }
        applied.addAndGet(result.applied());
        replayedDuplicates.addAndGet(result.replayed());
        for (BalanceEvent event : result.events()) {
            try {
                events.accept(event);
            } catch (RuntimeException e) {
                log.error("Balance event listener failed on {}", event, e);
            }
        }
    }
}
