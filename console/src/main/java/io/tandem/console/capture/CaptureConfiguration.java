package io.tandem.console.capture;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tandem.softswitch.capture.CaptureStore;
import io.tandem.softswitch.capture.HepExporter;
import io.tandem.softswitch.capture.SipCapture;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The capture's parts: this node's store of finished calls (kept whatever the SIP setting, so a
 * console-only node can be a capture node), the {@link SipCapture} the SIP stack and the call engine
 * feed, and its metrics.
 */
@Configuration(proxyBeanMethods = false)
public class CaptureConfiguration {

    @Bean
    CaptureStore captureStore(CaptureProperties properties, Clock clock) {
        return new CaptureStore(properties.settings(), clock::millis);
    }

    @Bean(destroyMethod = "close")
    SipCapture sipCapture(CaptureProperties properties, CallCaptures routing, Clock clock) {
        HepExporter hep = properties.hep().enabled()
                ? new HepExporter(collector(properties.hep().address()), properties.hep().captureId(), properties.hep().password())
                : null;
        return new SipCapture(properties.settings(), properties.enabled(), hep, routing::deliver, clock::millis);
    }

    /** {@code host:port}; a clear error at start for anything else. */
    static InetSocketAddress collector(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("tandem.capture.hep.address must be host:port, got '" + address + "'");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tandem.capture.hep.address: port '" + address.substring(colon + 1) + "' is not a number", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("tandem.capture.hep.address: port " + port + " is out of range");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, port);
    }

    @Bean
    MeterBinder captureMetrics(SipCapture capture, CaptureStore store) {
        return registry -> bind(registry, capture, store);
    }

    private static void bind(MeterRegistry registry, SipCapture capture, CaptureStore store) {
        FunctionCounter.builder("tandem.capture.queue.full", capture, SipCapture::queueFull)
                .description("captured messages dropped because the capture thread fell behind").register(registry);
        FunctionCounter.builder("tandem.capture.dropped.caps", capture, c -> c.assembler().droppedByCaps())
                .description("messages dropped by the per-call and live caps").register(registry);
        FunctionCounter.builder("tandem.capture.calls.delivered", capture, SipCapture::delivered)
                .description("finished calls compressed and sent to their capture node").register(registry);
        Gauge.builder("tandem.capture.live.bytes", capture, c -> c.assembler().liveBytes()).register(registry);
        Gauge.builder("tandem.capture.stored.bytes", store, CaptureStore::bytes).register(registry);
        Gauge.builder("tandem.capture.stored.calls", store, CaptureStore::calls).register(registry);
        FunctionCounter.builder("tandem.capture.stored.evicted", store, CaptureStore::evicted).register(registry);
        FunctionCounter.builder("tandem.capture.stored.expired", store, CaptureStore::expired).register(registry);
        if (capture.hep() != null) {
            FunctionCounter.builder("tandem.capture.hep.sent", capture.hep(), HepExporter::sent).register(registry);
            FunctionCounter.builder("tandem.capture.hep.failed", capture.hep(), HepExporter::failed).register(registry);
        }
    }
}
