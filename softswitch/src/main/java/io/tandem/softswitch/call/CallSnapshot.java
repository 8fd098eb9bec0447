package io.tandem.softswitch.call;

import io.tandem.billing.rating.CallRater;
import io.tandem.billing.rating.RateSnapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A call as readers on other threads may see it: immutable, published by the call on its own
 * loop whenever something shown changes ({@link Call#publish}). Duration and running cost are
 * worked out when read.
 */
record CallSnapshot(CallFacts facts, CallState state, Long vendorAccountId, String vendorName, Instant answeredAt,
                    RateSnapshot sell, String currency) {

    ActiveCallView view(String nodeId, Instant now) {
        long seconds = answeredAt == null ? 0 : Math.max(0, Duration.between(answeredAt, now).toSeconds());
        BigDecimal cost = answeredAt == null || sell == null ? BigDecimal.ZERO : CallRater.charge(sell, Math.max(1, seconds)).cost();
        return new ActiveCallView(facts.id(), nodeId, facts.trunk().accountId(), facts.trunk().trunkName(), vendorAccountId,
                vendorName, facts.callerIn(), facts.calleeIn(), state.name().toLowerCase(Locale.ROOT), facts.startedAt(), answeredAt,
                seconds, cost, currency == null ? "" : currency);
    }
}
