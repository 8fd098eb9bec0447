package io.tandem.console.invoices;

import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Service;

/**
 * The month's invoicing run off the caller's thread: issuing a thousand customers takes minutes, which a console
 * click must not wait for. One run per node at a time (a second start is refused while one runs, whoever started
 * it); its progress can be read at any moment, and the returned future completes with the summary. Issuing itself
 * stays idempotent per account and period, so a run started on two nodes at once issues every invoice once.
 */
@Service
public class InvoiceRuns {

    private final InvoiceService invoices;
    private final Clock clock;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("invoice-run").daemon(true).factory());
    private final AtomicReference<Progress> current = new AtomicReference<>();

    public InvoiceRuns(InvoiceService invoices, Clock clock) {
        this.invoices = invoices;
        this.clock = clock;
    }

    @PreDestroy
    void stop() {
        runner.shutdown();
    }

    /** Where a run is: {@code done} of {@code total} customer accounts looked at; {@code finished} once it is over. */
    public record Progress(String month, String startedBy, Instant startedAt, int done, int total, boolean finished) {

        Progress advanced(int doneNow, int totalNow, boolean over) {
            return new Progress(month, startedBy, startedAt, doneNow, totalNow, over);
        }
    }

    /** A progress listener, called on the run's thread. */
    @FunctionalInterface
    public interface Listener {
        void progressed(Progress progress);
    }

    /** The run in progress, or the last one; empty when none ran on this node. */
    public Optional<Progress> current() {
        return Optional.ofNullable(current.get());
    }

    /**
     * Starts the month's run in the background.
     *
     * @return the future summary, or a conflict when a run is already going on this node
     */
    public Outcome<CompletableFuture<Outcome<InvoiceService.RunSummary>>> start(Caller caller, YearMonth month, Listener listener) {
        caller.require(InvoiceService.FINANCE, "issue invoices");
        Progress starting = new Progress(month.toString(), caller.name(), clock.instant(), 0, 0, false);
        Progress before = current.get();
        if (before != null && !before.finished()) {
            return new Outcome.Conflict<>("the run for " + before.month() + " started by " + before.startedBy() + " is at "
                    + before.done() + " of " + before.total() + " accounts; wait until it is done");
        }
        if (!current.compareAndSet(before, starting)) {
            return new Outcome.Conflict<>("another run has just started; wait until it is done");
        }
        Listener told = new OneTimeFailingListener(listener);
        CompletableFuture<Outcome<InvoiceService.RunSummary>> result = CompletableFuture.supplyAsync(() -> {
            try {
                return invoices.issueAll(caller, month, (done, total) -> {
                    Progress now = current.updateAndGet(p -> p.advanced(done, total, false));
                    told.progressed(now);
                });
            } finally {
                told.progressed(current.updateAndGet(p -> p.advanced(p.total(), p.total(), true)));
            }
        }, runner);
        return Outcome.done(result);
    }

    /**
     * A listener that stops being called once it has failed: the run goes on when whoever watched it went away (a
     * closed browser tab makes the UI's access fail).
     */
    private static final class OneTimeFailingListener implements Listener {

        private final Listener listener;
        private volatile boolean failed;

        OneTimeFailingListener(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void progressed(Progress progress) {
            if (failed) {
                return;
            }
            try {
                listener.progressed(progress);
            } catch (RuntimeException e) {
                failed = true;
                LOG.info("The invoicing run for {} is no longer watched ({}); it goes on", progress.month(), e.toString());
            }
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InvoiceRuns.class);
}
