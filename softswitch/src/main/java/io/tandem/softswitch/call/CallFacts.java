package io.tandem.softswitch.call;

import io.tandem.routing.provisioning.TrunkAccess;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.UUID;

/**
 * What is known of a call when it is admitted and never changes.
 *
 * @param id         the call's id in CDRs, the API and the console
 * @param sipCallId  the customer leg's Call-ID
 * @param source     where the customer's INVITE came from (transport view)
 * @param callerIn   the From user part as received
 * @param calleeIn   the Request-URI user part as received
 * @param startNanos the call's start on the monotonic clock (PDD is measured from it)
 */
public record CallFacts(UUID id, String sipCallId, TrunkAccess trunk, InetSocketAddress source, String callerIn, String calleeIn,
                        Instant startedAt, long startNanos) {
}
