package io.tandem.console.calls;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A live call somewhere in the cluster, as the Active calls view and {@code GET /api/v1/cluster/calls}
 * show it.
 *
 * @param node        the node that carries the call (this node's id or the peer's configured name);
 *                    hang-ups go there
 * @param customer    the customer account's name ({@code #id} while the name is not known yet)
 * @param state       routing, trying, ringing, answered or ending
 * @param currentCost what the customer owes so far, in {@code currency}
 */
public record LiveCall(UUID id, String node, long customerAccountId, String customer, String trunk, Long vendorAccountId,
                       String vendor, String caller, String callee, String state, Instant startedAt, Instant answeredAt,
                       long durationSeconds, BigDecimal currentCost, String currency) {
}
