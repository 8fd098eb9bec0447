package io.tandem.routing;

/** A prefix a customer account may never call, e.g. a premium-rate range. */
public record BlockedDestination(long accountId, String prefix, String reason) {
}
