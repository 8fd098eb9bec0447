package io.tandem.softswitch.call;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tandem.softswitch.sip.SipEndpoint;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password guessing, slowed and then banned. Only failures a spoofer cannot produce count: a wrong
 * answer to a challenge whose nonce this node sent to that very address
 * ({@link io.tandem.softswitch.call.identify.DigestAuthenticator.Verdict.Failed}); stale or foreign
 * nonces never do.
 *
 * <pre>
 * failures within the window      what the source gets
 * 1 .. slowAfter-1                 403 as usual
 * slowAfter .. banAfter-1          403, then silence for firstPause·2^(n-slowAfter) (1 s, 2 s, 4 s, ...)
 * banAfter                         banned through flood protection (provisioned peers never are)
 * </pre>
 *
 * Bounded: at most {@value #MAX_SOURCES} sources are remembered. One instance serves INVITE and
 * REGISTER answers alike, so a guesser cannot double its tries by switching method. Thread-safe.
 */
public final class DigestFailureBans {
    private static final Logger log = LoggerFactory.getLogger(DigestFailureBans.class);
    static final int MAX_SOURCES = 100_000;

    private static final class Failures {
        int count;
        long quietUntilNanos;
    }

    private final Cache<InetAddress, Failures> failures;
    private final SipEndpoint sip;
    private final DigestGuessLimits limits;
    private final LongSupplier nanos;

    public DigestFailureBans(SipEndpoint sip, DigestGuessLimits limits, LongSupplier nanos) {
        this.sip = sip;
        this.limits = limits;
        this.nanos = nanos;
        this.failures = Caffeine.newBuilder().maximumSize(MAX_SOURCES).expireAfterWrite(limits.window())
                .ticker(nanos::getAsLong).executor(Runnable::run).build();
    }

    /** A wrong answer to a challenge this node sent to {@code source}. */
    public void failed(InetAddress source) {
        Failures f = failures.get(source, address -> new Failures());
        int count;
        synchronized (f) {
            count = ++f.count;
            if (count >= limits.slowAfter() && count < limits.banAfter()) {
                long pause = limits.firstPause().toNanos() << Math.min(20, count - limits.slowAfter());
                f.quietUntilNanos = nanos.getAsLong() + pause;
            }
        }
        failures.put(source, f);
        if (count >= limits.banAfter()) {
            failures.invalidate(source);
            sip.ban(source);
            log.warn("Banned {} after {} failed digest answers to its own challenges", source.getHostAddress(), count);
        }
    }

    /** Whether requests from {@code source} go unanswered for now. */
    public boolean slowed(InetAddress source) {
        Failures f = failures.getIfPresent(source);
        if (f == null) {
            return false;
        }
        synchronized (f) {
            return f.count >= limits.slowAfter() && nanos.getAsLong() - f.quietUntilNanos < 0;
        }
    }
}
