package io.tandem.console.cdrs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tandem.billing.rerating.RerateReport;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The re-rating previews this node made, waiting to be applied. A preview holds every changed
 * attempt of its period, so they are bounded: each expires {@link #TIME_TO_LIVE} after it was
 * made (the decks it priced with may have changed since), and no more than {@link #MAXIMUM_PREVIEWS}
 * are kept (Caffeine evicts one for each newcomer past that). Applying an expired or evicted preview
 * answers 404; preview again.
 */
public final class ReratingPreviews {

    public static final Duration TIME_TO_LIVE = Duration.ofMinutes(15);
    public static final int MAXIMUM_PREVIEWS = 100;

    private final Cache<UUID, RerateReport> previews;

    ReratingPreviews() {
        this(Ticker.systemTicker());
    }

    ReratingPreviews(Ticker ticker) {
        // evictions run on the caller's thread, so a test's ticker sees them at once
        previews = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(TIME_TO_LIVE).maximumSize(MAXIMUM_PREVIEWS)
                .executor(Runnable::run).build();
    }

    void keep(RerateReport report) {
        previews.put(report.id(), report);
    }

    Optional<RerateReport> find(UUID id) {
        return Optional.ofNullable(previews.getIfPresent(id));
    }

    long size() {
        previews.cleanUp();
        return previews.estimatedSize();
    }
}
