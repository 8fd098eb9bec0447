package io.tandem.console.calls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.softswitch.call.CallEngine;
import io.tandem.softswitch.call.CallFacts;
import io.tandem.softswitch.media.relay.MediaRelay;
import io.tandem.softswitch.media.relay.MediaStats;
import io.tandem.softswitch.media.relay.RelayedCall;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * What the relay tells the node about anchored calls: a media timeout ends the call (BYE both
 * legs with {@code Reason: ...;text="media timeout"}, CDR reason {@code media timeout}, billed to
 * that moment), and each call's media figures go to metrics. Runs on a media loop: only posts.
 */
final class MediaEvents implements RelayedCall.Listener {

    static final String MEDIA_TIMEOUT = "media timeout";
    private static final Logger log = LoggerFactory.getLogger(MediaEvents.class);

    private final ObjectProvider<CallEngine> engine;
    private final Counter packetsFromCustomer;
    private final Counter packetsFromVendor;
    private final Counter lostFromCustomer;
    private final Counter lostFromVendor;
    private final DistributionSummary jitter;

    MediaEvents(ObjectProvider<CallEngine> engine, MeterRegistry registry, MediaRelay relay) {
        this.engine = engine;
        this.packetsFromCustomer = Counter.builder("tandem.media.packets").tag("from", "customer").register(registry);
        this.packetsFromVendor = Counter.builder("tandem.media.packets").tag("from", "vendor").register(registry);
        this.lostFromCustomer = Counter.builder("tandem.media.lost").tag("from", "customer").register(registry);
        this.lostFromVendor = Counter.builder("tandem.media.lost").tag("from", "vendor").register(registry);
        this.jitter = DistributionSummary.builder("tandem.media.jitter").baseUnit("milliseconds")
                .description("RFC 3550 interarrival jitter at the end of each anchored call, worst direction")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("tandem.media.sessions", relay, MediaRelay::activeSessions).description("calls anchored on this node's relay")
                .register(registry);
        Gauge.builder("tandem.media.ports.free", relay, MediaRelay::freePortPairs).register(registry);
        FunctionCounter.builder("tandem.media.relayed", relay, r -> r.counters().relayed()).description("RTP packets relayed").register(registry);
        FunctionCounter.builder("tandem.media.hijack.dropped", relay, r -> r.counters().hijackDropped())
                .description("packets from a source other than the latched one while it was talking").register(registry);
        FunctionCounter.builder("tandem.media.send.dropped", relay, r -> r.counters().sendBufferFull())
                .description("packets dropped because the relay's sending socket buffer was full (never queued)")
                .register(registry);
        FunctionCounter.builder("tandem.media.timeouts", relay, r -> r.counters().timeouts()).register(registry);
        FunctionCounter.builder("tandem.media.no.ports", relay, r -> r.counters().noPorts())
                .description("calls not anchored because the port range was exhausted").register(registry);
    }

    @Override
    public void mediaTimedOut(CallFacts call) {
        log.info("Call {}: no RTP either way for the media timeout; ending it", call.id());
        engine.getObject().hangUp(call.id(), MEDIA_TIMEOUT);
    }

    @Override
    public void mediaEnded(CallFacts call, MediaStats stats) {
        packetsFromCustomer.increment(stats.fromCustomer().packets());
        packetsFromVendor.increment(stats.fromVendor().packets());
        lostFromCustomer.increment(stats.fromCustomer().lost());
        lostFromVendor.increment(stats.fromVendor().lost());
        jitter.record(Math.max(stats.fromCustomer().jitterMillis(), stats.fromVendor().jitterMillis()));
        log.debug("Call {} media: {}", call.id(), stats);
    }
}
