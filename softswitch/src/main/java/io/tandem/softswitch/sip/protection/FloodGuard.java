package io.tandem.softswitch.sip.protection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides per source address whether a message may be looked at at all.
 *
 * <p>Each source has a token bucket ({@code burst} tokens, refilled at {@code ratePerSecond}).
 * A source that finds its bucket empty is banned for {@code banDuration}; while banned, each of
 * its messages costs one hash lookup and is dropped. Allow-listed sources are never limited.
 * Both tables are bounded caches, so a flood from spoofed addresses cannot grow memory.
 */
public final class FloodGuard {
    private final ProtectionConfig config;
    private final LongSupplier nanoClock;
    private final AddressBlocks allowList;
    private final Cache<InetAddress, Long> bans;
    private final Cache<InetAddress, Bucket> buckets;
    private final ProtectionCounters counters = new ProtectionCounters();
    private final long banNanos;
    private final double tokensPerNano;
    private volatile java.util.function.Predicate<InetAddress> trusted = source -> false;

    public FloodGuard(ProtectionConfig config) {
        this(config, System::nanoTime);
    }

    /** With an explicit clock, for tests. */
    public FloodGuard(ProtectionConfig config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.allowList = new AddressBlocks(config.allowList());
        this.banNanos = config.banDuration().toNanos();
        this.tokensPerNano = config.ratePerSecond() / 1e9;
        this.bans = Caffeine.newBuilder().maximumSize(config.maxTrackedSources()).build();
        this.buckets = Caffeine.newBuilder().maximumSize(config.maxTrackedSources())
            .expireAfterAccess(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS).build();
    }

    public ProtectionConfig config() {
        return config;
    }

    public ProtectionCounters counters() {
        return counters;
    }

    /** Whether a message from this source may go on; counts the outcome. */
    public boolean admit(InetAddress source) {
        if (!config.enabled()) {
            return true;
        }
        Long until = bans.getIfPresent(source);
        long now = nanoClock.getAsLong();
        if (until != null) {
            if (now - until < 0) {
                counters.droppedBanned.increment();
                return false;
            }
            bans.invalidate(source);
        }
        if (allowList.contains(source) || trusted.test(source)) {
            counters.allowListed.increment();
            return true;
        }
        Bucket b = buckets.get(source, k -> new Bucket(config.burst(), now));
        if (b.take(now, tokensPerNano, config.burst())) {
            counters.passed.increment();
            return true;
        }
        ban(source);
        counters.droppedBanned.increment();
        return false;
    }

    /**
     * Sources that are never limited besides the static allow-list, e.g. the CIDRs of the
     * provisioned customer trunks: a carrier sending hundreds of calls per second from one
     * address is traffic, not a flood. Must answer from memory; it runs per message.
     */
    public void trust(java.util.function.Predicate<InetAddress> sources) {
        this.trusted = sources;
    }

    /** Whether the source is never limited or banned: on the allow-list or trusted ({@link #trust}). */
    public boolean isExempt(InetAddress source) {
        return allowList.contains(source) || trusted.test(source);
    }

    /** Whether the source is banned right now (for closing connections as they open). */
    public boolean isBanned(InetAddress source) {
        Long until = bans.getIfPresent(source);
        return until != null && nanoClock.getAsLong() - until < 0;
    }

    /** Bans a source for the configured time, unless it is allow-listed. */
    public void ban(InetAddress source) {
        if (!config.enabled() || allowList.contains(source) || trusted.test(source)) {
            return;
        }
        bans.put(source, nanoClock.getAsLong() + banNanos);
        buckets.invalidate(source);
        counters.bans.increment();
    }

    /** Number of sources banned now. */
    public long bannedSources() {
        bans.cleanUp();
        long now = nanoClock.getAsLong();
        return bans.asMap().values().stream().filter(u -> now - u < 0).count();
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int burst, long now) {
            this.tokens = burst;
            this.last = now;
        }

        synchronized boolean take(long now, double perNano, int burst) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
