package io.tandem.console.calls;

import java.time.Instant;

/**
 * How one node answered the cluster's call list.
 *
 * @param node     this node's id or a peer's configured name
 * @param local    the node that made the list
 * @param online   answered in time; an offline node's calls are missing from the list
 * @param calls    live calls it reported (0 when offline)
 * @param lastSeen when it last answered or wrote its heartbeat (now when online; null if never)
 * @param problem  why it is offline or has no calls to show (timeout, refused key, SIP off), or null
 */
public record NodeCallStatus(String node, boolean local, boolean online, int calls, Instant lastSeen, String problem) {
}
