package io.tandem.softswitch.call.identify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest nonce count (RFC 7616 §3.4 {@code nc}) accepted for each nonce of this node, so the
 * same credentials never pass twice. Only nonces answered with the right password get an entry,
 * so a stranger cannot grow the table; entries go when their nonce expires.
 *
 * <p>The table is bounded. When it is full and forgets a nonce early, every nonce issued up to
 * that one is treated as expired from then on ({@link #forgotten}): a forgotten count can
 * never be replayed, at worst a client is challenged once more. Thread-safe.
 */
final class NonceCounts {

    private record Use(long issuedMillis, long count) {
    }

    private final Cache<String, Use> uses;
    /** Nonces issued at or before this time are no longer tracked, so they are refused as expired. */
    private final AtomicLong forgottenUpTo = new AtomicLong(Long.MIN_VALUE);

    NonceCounts(int maxTracked, Duration nonceLifetime) {
        this.uses = Caffeine.newBuilder()
                .maximumSize(maxTracked)
                .expireAfterWrite(nonceLifetime)
                .executor(Runnable::run)
                .removalListener((String nonce, Use use, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE && use != null) {
                        forgottenUpTo.accumulateAndGet(use.issuedMillis(), Math::max);
                    }
                })
                .build();
    }

    /** Whether a nonce issued at this time may have lost its count to the bound. */
    boolean forgotten(long issuedMillis) {
        return issuedMillis <= forgottenUpTo.get();
    }

    /** Records {@code count} for the nonce; false when it is not above the last one accepted (a replay). */
    boolean advance(String nonce, long issuedMillis, long count) {
        boolean[] advanced = {false};
        uses.asMap().compute(nonce, (n, last) -> {
            if (last != null && count <= last.count()) {
                return last;
            }
            advanced[0] = true;
            return new Use(issuedMillis, count);
        });
        return advanced[0] && !forgotten(issuedMillis);
    }

    long size() {
        return uses.estimatedSize();
    }
}
