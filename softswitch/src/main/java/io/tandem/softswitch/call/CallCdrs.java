package io.tandem.softswitch.call;

import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.rating.RateSnapshot;
import io.tandem.routing.Rate;
import io.tandem.routing.RouteDecision;
import java.time.Duration;
import java.time.Instant;

/** Pure: the CDRs of a call, one per vendor attempt, or one for a call that reached no vendor. */
final class CallCdrs {

    private CallCdrs() {
    }

    static RateSnapshot snapshot(Rate rate) {
        return new RateSnapshot(rate.prefix(), rate.ratePerMinute(), rate.connectFee(), rate.initialIncrement(),
                rate.nextIncrement(), rate.graceSeconds());
    }

    /** The priced CDR of one attempt; an answered attempt ended by {@code side}, any other by the switch. */
    static CdrRecord attempt(String nodeId, CallFacts call, RouteDecision route, RateSnapshot sell, VendorAttempt attempt,
                             HangupSide side, Instant now) {
        Instant end = attempt.endedAt() != null ? attempt.endedAt() : now;
        long durationMs = Duration.between(attempt.startedAt(), end).toMillis();
        boolean answered = attempt.answeredAt() != null;
        return new CdrRecord(call.id(), attempt.number(), nodeId, call.sipCallId(), call.trunk().accountId(), call.trunk().trunkId(),
                attempt.candidate().vendorAccountId(), attempt.candidate().gateway().id(), call.callerIn(), call.calleeIn(),
                route.caller(), attempt.calleeOut(), attempt.startedAt(), attempt.answeredAt(), end, durationMs, 0,
                attempt.pddMillis() == null ? null : attempt.pddMillis().intValue(), answered ? 200 : attempt.status(),
                attempt.reason(), null, answered ? side : HangupSide.SWITCH, route.currency(), sell,
                snapshot(attempt.candidate().buyRate()), null, null, null).priced();
    }

    /** The CDR of a call that ended before any vendor was tried (attempt 1, no vendor, no cost). */
    static CdrRecord withoutVendor(String nodeId, CallFacts call, String caller, String callee, int status, String why, Integer q850,
                                   HangupSide side, String currency, RateSnapshot sell, Instant now) {
        return new CdrRecord(call.id(), 1, nodeId, call.sipCallId(), call.trunk().accountId(), call.trunk().trunkId(), null, null,
                call.callerIn(), call.calleeIn(), caller, callee, call.startedAt(), null, now,
                Duration.between(call.startedAt(), now).toMillis(), 0, null, status, why, q850, side, currency, sell, null, null, null,
                null);
    }
}
