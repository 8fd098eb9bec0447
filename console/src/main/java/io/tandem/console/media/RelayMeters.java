package io.tandem.console.media;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.softswitch.media.relay.MediaRelay;

/**
 * The relay's own meters, on every node that runs one: a node with SIP (its calls' relay) and a
 * media-only node (the sessions it relays for signalling nodes). Per-call figures (packets, loss,
 * jitter) are counted where the call ends, on the node that signals it.
 */
public final class RelayMeters {

    private RelayMeters() {
    }

    public static void register(MeterRegistry registry, MediaRelay relay) {
        Gauge.builder("tandem.media.sessions", relay, MediaRelay::activeSessions).description("calls anchored on this node's relay")
                .register(registry);
        Gauge.builder("tandem.media.ports.free", relay, MediaRelay::freePortPairs).register(registry);
        FunctionCounter.builder("tandem.media.relayed", relay, r -> r.counters().relayed()).description("RTP packets relayed").register(registry);
        FunctionCounter.builder("tandem.media.hijack.dropped", relay, r -> r.counters().hijackDropped())
                .description("packets from a source other than the latched one while it was talking that reached the relay"
                        + " (once the port is connected to the latched source the kernel drops them unseen)").register(registry);
        FunctionCounter.builder("tandem.media.send.dropped", relay, r -> r.counters().sendBufferFull())
                .description("packets dropped because the relay's sending socket buffer was full (never queued)")
                .register(registry);
        FunctionCounter.builder("tandem.media.timeouts", relay, r -> r.counters().timeouts()).register(registry);
        FunctionCounter.builder("tandem.media.no.ports", relay, r -> r.counters().noPorts())
                .description("calls not anchored because the port range was exhausted").register(registry);
    }
}
