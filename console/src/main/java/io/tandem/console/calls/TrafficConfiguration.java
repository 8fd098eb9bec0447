package io.tandem.console.calls;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This node's traffic recorder (present with SIP off too, then empty) and the one thread that
 * closes its 1-s points.
 */
@Configuration(proxyBeanMethods = false)
public class TrafficConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficConfiguration.class);

    @Bean
    TrafficRecorder trafficRecorder() {
        return new TrafficRecorder(System::nanoTime);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService trafficSampler(TrafficRecorder recorder, Clock clock) {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("traffic-sampler").daemon().factory());
        long untilNextSecond = 1000 - clock.millis() % 1000;
        sampler.scheduleAtFixedRate(() -> {
            try {
                // the nearest whole second: a tick a few milliseconds early or late still closes the right one
                recorder.tick(Math.round(clock.millis() / 1000.0));
            } catch (RuntimeException e) {
                LOG.error("traffic sample lost", e);
            }
        }, untilNextSecond, 1000, TimeUnit.MILLISECONDS);
        return sampler;
    }
}
