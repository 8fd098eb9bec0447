package io.tandem.billing.authorization;

import java.math.BigDecimal;

/**
 * The last change a node made to its lease on an account, as the database recorded it: the
 * change's id and the money it moved (positive: grown, negative: given back).
 */
public record LeaseChange(long id, BigDecimal amount) {
}
