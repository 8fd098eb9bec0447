package io.tandem.console.ui.chart;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps live views fresh over {@code @Push}: while a view is attached, every period its data is
 * fetched off the UI thread and applied in one {@code ui.access}, so a view costs at most one push
 * per period however many calls change. A fetch still running when the next period comes is not
 * started twice. Registered on attach, cancelled on detach.
 */
@org.springframework.stereotype.Component
public class LiveUpdates {

    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("console-live-updates").daemon().factory());

    /**
     * @param fetch  asks the application service; must not block (returns a future)
     * @param apply  shows the result, on the UI thread with the session locked
     * @param failed shows a failure, on the UI thread
     */
    public <T> void keepFresh(Component view, Duration period, Supplier<CompletableFuture<T>> fetch, Consumer<T> apply,
                              Consumer<Throwable> failed) {
        view.addAttachListener(attach -> {
            UI ui = attach.getUI();
            AtomicBoolean fetching = new AtomicBoolean();
            ScheduledFuture<?> task = ticks.scheduleAtFixedRate(() -> {
                if (!fetching.compareAndSet(false, true)) {
                    return;
                }
                CompletableFuture<T> result;
                try {
                    result = fetch.get();
                } catch (RuntimeException e) {
                    result = CompletableFuture.failedFuture(e);
                }
                result.whenComplete((value, error) -> {
                    try {
                        ui.access(() -> {
                            if (error != null) {
                                failed.accept(error);
                            } else {
                                apply.accept(value);
                            }
                        });
                    } catch (UIDetachedException gone) {
                        // the browser went away between the fetch and its answer; the detach listener stops the task
                    } finally {
                        fetching.set(false);
                    }
                });
            }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
            view.addDetachListener(detach -> {
                task.cancel(false);
                detach.unregisterListener();
            });
        });
    }

    @PreDestroy
    void stop() {
        ticks.shutdownNow();
    }
}
