package io.tandem.softswitch.call;

/** Call counters of this node since start, for metrics and {@code GET /api/v1/node}. */
public record CallStats(int active, long offered, long answered, long rejected, long vendorAttempts, long failovers) {
}
