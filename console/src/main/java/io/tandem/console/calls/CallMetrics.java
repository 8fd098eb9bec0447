package io.tandem.console.calls;

import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.softswitch.call.CallEngine;
import io.tandem.softswitch.call.CallRejections;
import io.tandem.softswitch.sip.codec.SipMessageCounts;
import java.util.ArrayList;
import java.util.List;
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
        for (String reason : CallRejections.reasonNames()) {
            FunctionCounter.builder("tandem.calls.rejections", engine, e -> e.rejected(reason))
                    .description("calls refused, by reason (docs/rejections.md)").tag("reason", reason).register(registry);
        }
        sipMessages("received", stack.messagesReceived());
        sipMessages("sent", stack.messagesSent());
        FunctionCounter.builder("tandem.sip.udp.handed.off", stack, s -> s.datagramsHandedOffAndKept()[0])
                .description("UDP datagrams read by one event loop and decoded on their Call-ID's loop").register(registry);
        FunctionCounter.builder("tandem.sip.udp.kept.for.full.loop", stack, s -> s.datagramsHandedOffAndKept()[1])
                .description("UDP datagrams decoded where they were read because their Call-ID's loop had 8,192 queued").register(registry);
        long[] sockets = stack.datagramsReadPerSocket();
        for (int i = 0; i < sockets.length; i++) {
            int socket = i;
            FunctionCounter.builder("tandem.sip.udp.read", stack, s -> {
                        long[] now = s.datagramsReadPerSocket();
                        return socket < now.length ? now[socket] : 0;
                    })
                    .description("UDP datagrams read by each SIP socket (one per event loop; even shares mean the reads are spread)")
                    .tag("socket", Integer.toString(socket)).register(registry);
        }
        FunctionCounter.builder("tandem.sip.overload.shed", stack, s -> s.transactions().counters().shed())
                .description("new INVITEs answered 503 because this node was overloaded").register(registry);
        FunctionCounter.builder("tandem.sip.overload.shed.unparsed", stack, s -> s.transactions().counters().shedUnparsed())
                .description("of the overload 503s, those answered from a glance at the INVITE's datagram, without parsing it")
                .register(registry);
        FunctionCounter.builder("tandem.sip.overload.shed.acks.dropped", stack, s -> s.transactions().counters().shedAcksDropped())
                .description("ACKs of overload 503s dropped from a glance at the datagram, without parsing them").register(registry);
        FunctionCounter.builder("tandem.sip.overload.stalls.ignored", stack, s -> s.overload() == null ? 0 : s.overload().ignoredStalls())
                .description("spells of event-loop delay this node's calls did not cause (no more INVITEs than carried calmly, loops "
                        + "mostly idle: another process held the cores), for which nothing was shed").register(registry);
        Gauge.builder("tandem.sip.overload.admitted.share", stack, s -> s.overload() == null ? 1.0 : s.overload().admittedShare())
                .description("share of new INVITEs this node took in the last 100 ms (1 = all)").register(registry);
        Gauge.builder("tandem.sip.overload.budget", stack, s -> s.overload() == null ? -1.0 : budgetOrMinusOne(s.overload().budgetPerSecond()))
                .description("new INVITEs per second this node admits while shedding; -1 while it admits every one").register(registry);
        Gauge.builder("tandem.sip.overload.loop.lag", stack, s -> s.overload() == null ? 0.0 : s.overload().lastLagNanos() / 1e9)
                .baseUnit("seconds").description("how late the worst event loop ran its tasks at the last check").register(registry);
        Gauge.builder("tandem.sip.overload.loop.utilization", stack, s -> s.overload() == null ? Double.NaN : s.overload().loopUtilization())
                .description("share of its time the busiest event loop worked over the last 100-200 ms (0..1)").register(registry);
        Gauge.builder("tandem.sip.overload.learnt.capacity", stack, s -> s.overload() == null ? Double.NaN : s.overload().learntCapacityPerSecond())
                .description("new calls per second at which the busiest loop would work the target share of its time, learnt while calm")
                .register(registry);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers.registry()).bindTo(registry);
    }

    /**
     * {@code tandem_sip_requests_total{direction,method}} and {@code tandem_sip_responses_total{direction,status}}:
     * the statuses a switch commonly sends and receives one by one, every other one in its class ({@code 4xx}).
     */
    private void sipMessages(String direction, SipMessageCounts counts) {
        List<String> methods = new ArrayList<>(SipMessageCounts.METHODS);
        methods.add(SipMessageCounts.OTHER_METHOD);
        for (String method : methods) {
            FunctionCounter.builder("tandem.sip.requests", counts, c -> c.requests(method)).description("SIP requests by method")
                    .tag("direction", direction).tag("method", method).register(registry);
        }
        for (int status : NAMED_STATUSES) {
            FunctionCounter.builder("tandem.sip.responses", counts, c -> c.responses(status)).description("SIP responses by status")
                    .tag("direction", direction).tag("status", Integer.toString(status)).register(registry);
        }
        for (int hundreds = 1; hundreds <= 6; hundreds++) {
            int from = hundreds * 100;
            FunctionCounter.builder("tandem.sip.responses", counts, c -> c.responses(from, from + 99) - named(c, from))
                    .description("SIP responses by status").tag("direction", direction).tag("status", hundreds + "xx").register(registry);
        }
    }

    /** Responses of the class starting at {@code from} that have a series of their own. */
    private static long named(SipMessageCounts counts, int from) {
        long sum = 0;
        for (int status : NAMED_STATUSES) {
            if (status >= from && status < from + 100) {
                sum += counts.responses(status);
            }
        }
        return sum;
    }

    private static final int[] NAMED_STATUSES = {100, 180, 183, 200, 401, 402, 403, 404, 407, 408, 422, 480, 481, 483, 484,
        486, 487, 488, 500, 502, 503, 504, 603};

    private static double budgetOrMinusOne(double budget) {
        return Double.isInfinite(budget) ? -1.0 : budget;
    }
}
