package io.tandem.softswitch.call;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tandem.softswitch.sip.SipEndpoint;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password guessing is flooding too: after {@value #MAX_FAILURES} failed digest attempts within a
 * minute a source is banned by flood protection (provisioned trunks never are). Thread-safe.
 */
final class DigestFailureBans {
    private static final Logger log = LoggerFactory.getLogger(DigestFailureBans.class);
    static final int MAX_FAILURES = 5;

    private final Cache<InetAddress, AtomicInteger> failures =
            Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(1)).build();
    private final SipEndpoint sip;

    DigestFailureBans(SipEndpoint sip) {
        this.sip = sip;
    }

    void failed(InetAddress source) {
        AtomicInteger count = failures.get(source, address -> new AtomicInteger());
        if (count.incrementAndGet() >= MAX_FAILURES) {
            failures.invalidate(source);
            sip.ban(source);
            log.warn("Banned {} after {} failed digest authentications", source.getHostAddress(), MAX_FAILURES);
        }
    }
}
