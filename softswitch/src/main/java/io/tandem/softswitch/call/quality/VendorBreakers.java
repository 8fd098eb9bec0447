package io.tandem.softswitch.call.quality;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One Resilience4j circuit breaker per vendor gateway, per node. An attempt's outcome is recorded
 * by {@link #record}; {@link #isOpen} is what routing asks before offering the gateway a call.
 * Half-open lets {@code permittedInHalfOpen} calls through to probe the vendor.
 *
 * <p>Which SIP answers count as the vendor's failure is {@link #isVendorFailure}: the vendor's
 * own trouble (timeouts, 5xx, 408), not the callee's answer (486 busy, 404, 603...).
 */
public final class VendorBreakers {

    private final CircuitBreakerRegistry registry;

    /** Breaker settings; defaults suit a vendor carrying a few calls per second. */
    public record Settings(int windowSize, int minimumCalls, float failureRatePercent, Duration openFor, int permittedInHalfOpen) {
        public static Settings defaults() {
            return new Settings(50, 20, 50f, Duration.ofSeconds(30), 5);
        }
    }

    public VendorBreakers(Settings settings) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.windowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedInHalfOpen())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        this.registry = CircuitBreakerRegistry.of(config);
    }

    /** True if a SIP final status (0 = no answer) is the vendor's failure. */
    public static boolean isVendorFailure(int status) {
        return status == 0 || status == 408 || status >= 500 && status < 600 && status != 580;
    }

    /**
     * Asks permission for an attempt: false while the breaker is open (and, half-open, once the
     * probe calls are taken). A permitted attempt must be {@link #record recorded}.
     */
    public boolean tryAcquire(long gatewayId) {
        return breaker(gatewayId).tryAcquirePermission();
    }

    public boolean isOpen(long gatewayId) {
        CircuitBreaker.State state = breaker(gatewayId).getState();
        return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
    }

    /** Records an attempt's final status (0 = timeout) and how long the vendor took. */
    public void record(long gatewayId, int status, Duration took) {
        CircuitBreaker breaker = breaker(gatewayId);
        if (isVendorFailure(status)) {
            breaker.onError(took.toNanos(), TimeUnit.NANOSECONDS, new VendorFailure(status));
        } else {
            breaker.onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Gives back a permission that was acquired but never used (the attempt was not sent). */
    public void release(long gatewayId) {
        breaker(gatewayId).releasePermission();
    }

    /** An operator's reset: the gateway's breaker closes and forgets its window (the vendor was fixed). */
    public void reset(long gatewayId) {
        breaker(gatewayId).reset();
    }

    /** Breaker state per gateway id, e.g. {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}. */
    public Map<Long, String> states() {
        return registry.getAllCircuitBreakers().stream()
                .collect(Collectors.toMap(b -> Long.parseLong(b.getName()), b -> b.getState().name()));
    }

    public CircuitBreakerRegistry registry() {
        return registry;
    }

    private CircuitBreaker breaker(long gatewayId) {
        return registry.circuitBreaker(Long.toString(gatewayId));
    }

    /** The "exception" Resilience4j records for a vendor failure; never thrown. */
    static final class VendorFailure extends Exception {
        VendorFailure(int status) {
            super("vendor answered " + status, null, false, false);
        }
    }
}
