package io.tandem.console.registrations;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.softswitch.registrar.Registrar;
import java.util.function.ToDoubleFunction;
import io.tandem.softswitch.registrar.RegistrarStats;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The registrar's figures for {@code /actuator/prometheus} (docs/operations.md, docs/registrations.md):
 * {@code tandem_registrar_*}. No label carries an address, trunk or AOR; the label sets are closed.
 */
public class RegistrarMetrics implements SmartInitializingSingleton {

    private final MeterRegistry registry;
    private final Registrar registrar;

    public RegistrarMetrics(MeterRegistry registry, Registrar registrar) {
        this.registry = registry;
        this.registrar = registrar;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Gauge.builder("tandem.registrar.bindings", registrar, r -> r.stats().bindings())
                .description("registered contacts this node knows, its own and its peers'").register(registry);
        Gauge.builder("tandem.registrar.bindings.own", registrar, r -> r.stats().ownBindings())
                .description("registered contacts whose flow this node holds").register(registry);
        counter("tandem.registrar.cluster.events.sent", "cluster events sent to peers and answered", s -> s.sync().sent());
        counter("tandem.registrar.cluster.events.send.failures", "cluster events a peer did not take (no answer, refused, dropped from a full queue)",
                s -> s.sync().sendFailures());
        counter("tandem.registrar.cluster.events.received", "cluster events taken from peers", s -> s.sync().received());
        counter("tandem.registrar.cluster.events.refused", "cluster MESSAGEs refused (seal, replay, malformed)", s -> s.sync().refused());
        counter("tandem.registrar.relay.relayed", "messages this node relayed as the holder of a registered flow", s -> s.relay().relayed());
        FunctionCounter.builder("tandem.registrar.relay.refused", registrar, r -> r.stats().relay().refusedSeal())
                .description("relay routes dropped, by reason").tag("reason", "seal").register(registry);
        FunctionCounter.builder("tandem.registrar.relay.refused", registrar, r -> r.stats().relay().refusedNotRegistered())
                .description("relay routes dropped, by reason").tag("reason", "not-registered").register(registry);
        FunctionCounter.builder("tandem.registrar.relay.refused", registrar, r -> r.stats().relay().refusedNotFromFlow())
                .description("relay routes dropped, by reason").tag("reason", "not-from-flow").register(registry);
        counter("tandem.registrar.relay.flow.closed", "requests to a TCP/TLS flow whose connection had closed (an INVITE gets 480)",
                s -> s.relay().flowClosed());
        FunctionCounter.builder("tandem.registrar.attempts.missed", registrar, r -> r.stats().missedUnregistered())
                .description("call attempts to a registered contact not made, by reason (failed over like a 480)")
                .tag("reason", "not-registered").register(registry);
        FunctionCounter.builder("tandem.registrar.attempts.missed", registrar, r -> r.stats().missedFlowClosed())
                .description("call attempts to a registered contact not made, by reason (failed over like a 480)")
                .tag("reason", "connection-closed").register(registry);
    }

    private void counter(String name, String description, ToDoubleFunction<RegistrarStats> value) {
        FunctionCounter.builder(name, registrar, r -> value.applyAsDouble(r.stats())).description(description).register(registry);
    }
}
