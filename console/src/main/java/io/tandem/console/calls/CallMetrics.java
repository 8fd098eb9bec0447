package io.tandem.console.calls;

import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.softswitch.call.CallEngine;
import io.tandem.softswitch.call.quality.VendorBreakers;
import io.tandem.softswitch.sip.SipStack;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Call engine, SIP stack and circuit breaker figures for {@code /actuator/prometheus}:
 * {@code tandem_calls_*}, {@code tandem_sip_*} and Resilience4j's {@code resilience4j_circuitbreaker_*}
 * (one series per vendor gateway id).
 */
public class CallMetrics implements SmartInitializingSingleton {

    private final MeterRegistry registry;
    private final CallEngine engine;
    private final SipStack stack;
    private final VendorBreakers breakers;

    public CallMetrics(MeterRegistry registry, CallEngine engine, SipStack stack, VendorBreakers breakers) {
        this.registry = registry;
        this.engine = engine;
        this.stack = stack;
        this.breakers = breakers;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Gauge.builder("tandem.calls.active", engine, CallEngine::activeCallCount).description("calls in progress on this node").register(registry);
        FunctionCounter.builder("tandem.calls.offered", engine, e -> e.stats().offered()).description("INVITEs that started a call").register(registry);
        FunctionCounter.builder("tandem.calls.answered", engine, e -> e.stats().answered()).register(registry);
        FunctionCounter.builder("tandem.calls.rejected", engine, e -> e.stats().rejected()).register(registry);
        FunctionCounter.builder("tandem.calls.vendor.attempts", engine, e -> e.stats().vendorAttempts()).register(registry);
        FunctionCounter.builder("tandem.calls.failovers", engine, e -> e.stats().failovers()).register(registry);
        Gauge.builder("tandem.calls.draining", engine, e -> e.draining() ? 1 : 0).register(registry);
        FunctionCounter.builder("tandem.sip.messages.decoded", stack, s -> s.stats().decoded()).register(registry);
        FunctionCounter.builder("tandem.sip.messages.malformed", stack, s -> s.stats().malformed()).register(registry);
        FunctionCounter.builder("tandem.sip.flood.dropped", stack, s -> s.stats().floodDropped()).register(registry);
        FunctionCounter.builder("tandem.sip.flood.bans", stack, s -> s.stats().bans()).register(registry);
        Gauge.builder("tandem.sip.transactions", stack, s -> s.stats().liveTransactions()).register(registry);
        FunctionCounter.builder("tandem.sip.overload.shed", stack, s -> s.transactions().counters().shed())
                .description("new INVITEs answered 503 because this node was overloaded").register(registry);
        Gauge.builder("tandem.sip.overload.admitted.share", stack, s -> s.overload() == null ? 1.0 : s.overload().admittedShare())
                .description("share of new INVITEs this node takes now (1 = all)").register(registry);
        Gauge.builder("tandem.sip.overload.loop.lag", stack, s -> s.overload() == null ? 0.0 : s.overload().lastLagNanos() / 1e9)
                .baseUnit("seconds").description("how late the worst event loop ran its tasks at the last check").register(registry);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers.registry()).bindTo(registry);
    }
}
