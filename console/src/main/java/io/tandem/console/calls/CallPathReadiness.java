package io.tandem.console.calls;

import io.tandem.softswitch.call.CallEngine;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Part of {@code /actuator/health/readiness}: {@code OUT_OF_SERVICE} while the node takes no calls
 * (warming up after a start, or draining), so an orchestrator or an HTTP-probing load balancer keeps
 * traffic away exactly when SIP keep-alive OPTIONS are answered {@code 503}.
 */
public final class CallPathReadiness implements HealthIndicator {

    private final CallEngine engine;

    public CallPathReadiness(CallEngine engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        if (engine.warmingUp()) {
            return Health.outOfService().withDetail("calls", "warming up").build();
        }
        if (engine.draining()) {
            return Health.outOfService().withDetail("calls", "draining").build();
        }
        return Health.up().withDetail("calls", "accepting").build();
    }
}
