package io.tandem.billing.authorization;

import io.tandem.billing.rating.RateSnapshot;
import io.tandem.billing.settlement.HoldSource;
import java.math.BigDecimal;
import java.util.UUID;

/** The answer to "may this call start, and for how long?". Refusals are values, not exceptions. */
public sealed interface Authorization {

    UUID callUuid();

    /**
     * The call may run for {@code maxDurationSeconds} of answered time; the call engine hangs up
     * when it is reached (or asks {@link BalanceAuthorizer#extend} for more before then).
     *
     * @param held money set aside for this call so far
     */
    record Granted(UUID callUuid, long accountId, RateSnapshot rate, HoldSource source, BigDecimal held,
                   long maxDurationSeconds) implements Authorization {
    }

    record Rejected(UUID callUuid, RejectionReason reason, String detail) implements Authorization {
    }
}
