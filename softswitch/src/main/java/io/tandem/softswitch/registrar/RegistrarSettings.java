package io.tandem.softswitch.registrar;

import java.time.Duration;

/**
 * Limits of the registrar (docs/registrations.md, {@code tandem.registrar.*}).
 *
 * @param nodeId              this node's name, stamped on the bindings it holds and on its events
 * @param minExpires          shorter asked intervals get {@code 423} with {@code Min-Expires} (RFC 3261 §10.3 step 7); 60 s
 * @param maxExpires          longer asked intervals are shortened to this; 3600 s
 * @param defaultExpires      when the REGISTER names none (§10.2.1.1 leaves it to the registrar); 3600 s
 * @param maxContactsPerTrunk bindings one trunk may hold across the cluster (every AOR of it together); 10
 * @param maxBindings         bindings this node remembers, its own and its peers' (memory bound); 200,000
 * @param maxContactsPerRequest Contact values one REGISTER may carry; 10
 */
public record RegistrarSettings(String nodeId, Duration minExpires, Duration maxExpires, Duration defaultExpires,
                                int maxContactsPerTrunk, int maxBindings, int maxContactsPerRequest) {

    /** Longest AOR user part accepted (a digest user name is shorter still). */
    public static final int MAX_AOR = 64;
    /** Longest Contact URI accepted; a real one is well under 200 octets. */
    public static final int MAX_CONTACT = 256;
    /** Longest Call-ID remembered for a binding. */
    public static final int MAX_CALL_ID = 128;

    public RegistrarSettings {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("registrar needs the node id");
        }
        if (minExpires.isNegative() || minExpires.isZero() || maxExpires.compareTo(minExpires) < 0) {
            throw new IllegalArgumentException("registrar expiry range must be 0 < min-expires <= max-expires");
        }
        if (defaultExpires.compareTo(minExpires) < 0 || defaultExpires.compareTo(maxExpires) > 0) {
            throw new IllegalArgumentException("registrar default-expires must lie within min-expires and max-expires");
        }
        if (maxContactsPerTrunk < 1 || maxBindings < 1 || maxContactsPerRequest < 1) {
            throw new IllegalArgumentException("registrar caps must be positive");
        }
    }

    public static RegistrarSettings defaults(String nodeId) {
        return new RegistrarSettings(nodeId, Duration.ofSeconds(60), Duration.ofSeconds(3600), Duration.ofSeconds(3600), 10, 200_000, 10);
    }

    public RegistrarSettings withExpires(Duration min, Duration max, Duration fallback) {
        return new RegistrarSettings(nodeId, min, max, fallback, maxContactsPerTrunk, maxBindings, maxContactsPerRequest);
    }

    public RegistrarSettings withCaps(int perTrunk, int total) {
        return new RegistrarSettings(nodeId, minExpires, maxExpires, defaultExpires, perTrunk, total, maxContactsPerRequest);
    }
}
