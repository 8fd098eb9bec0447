package io.tandem.console.calls;

import io.tandem.routing.RouteTable;
import io.tandem.softswitch.call.CallEngine;
import io.tandem.softswitch.sip.SipStack;
import io.tandem.softswitch.sip.codec.SipTransport;
import io.tandem.softswitch.sip.protection.OverloadShedder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Holds a starting node out of traffic until its call path is warm: created (before SIP listens)
 * with the engine set to warming up, it runs {@link CallPathWarmup} on a thread of its own once the
 * application is ready and then lets calls in.
 */
public final class CallPathWarmupOnStart implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(CallPathWarmupOnStart.class);

    private final WarmupProperties warmup;
    private final CallEngine engine;
    private final SipStack stack;
    private final Supplier<RouteTable> routes;
    private volatile CallPathWarmup.Result lastRun;

    public CallPathWarmupOnStart(WarmupProperties warmup, CallEngine engine, SipStack stack, Supplier<RouteTable> routes) {
        this.warmup = warmup;
        this.engine = engine;
        this.stack = stack;
        this.routes = routes;
        if (warmup.enabled()) {
            engine.setWarmingUp(true);
        }
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        if (!warmup.enabled()) {
            return;
        }
        InetSocketAddress listener = stack.localAddress(SipTransport.UDP);
        InetSocketAddress target = listener.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getPort()) : listener;
        Thread.ofPlatform().name("call-path-warmup").daemon().start(() -> {
            try {
                CallPathWarmup.Result result = new CallPathWarmup(routes, target).run(warmup.duration());
                lastRun = result;
                log.info("Call path warmed up in {} ms ({} messages parsed, {} routes looked up, {} SIP exchanges on loopback); taking calls",
                        result.took().toMillis(), result.parsed(), result.routed(), result.overTheWire());
            } catch (RuntimeException e) {
                log.error("The warm-up failed; taking calls on cold code", e);
            } finally {
                // the warm-up's calls were the node's own: the overload shedder meets the first real ones as a fresh node
                OverloadShedder shedder = stack.overload();
                if (shedder != null) {
                    shedder.forgetHistory();
                }
                engine.setWarmingUp(false);
            }
            if (warmup.exitWhenDone()) {
                log.info("Training run done (tandem.warmup.exit-when-done): stopping");
                System.exit(SpringApplication.exit(ready.getApplicationContext()));
            }
        });
    }

    /** What the warm-up after this start did; empty before it ended or when it is off. */
    public Optional<CallPathWarmup.Result> lastRun() {
        return Optional.ofNullable(lastRun);
    }
}
