package io.tandem.routing;

/**
 * A vendor account as routing needs it. {@code buyDeckId} is the vendor's buy deck, or null when
 * it has none (then every rule for it is skipped with {@link SkipReason#NO_RATE}).
 */
public record Vendor(long accountId, String name, boolean active, Long buyDeckId) {
}
