package io.tandem.console.partners;

import io.tandem.billing.account.Money;
import io.tandem.billing.cdr.CdrRecord;
import java.time.Instant;
import java.util.UUID;

/**
 * One call attempt as a partner sees it: only its own side. A customer sees the numbers it sent, its sell rate and
 * what it paid; a vendor sees the numbers we sent it, its buy rate and what we owe it. Neither sees the other side,
 * the other party or the carrier's margin. Money as decimal strings.
 */
public record PartnerCdr(UUID callUuid, int attempt, Instant startedAt, Instant answeredAt, Instant endedAt, String caller, String callee,
                         int billsec, int sipCode, String prefix, String ratePerMinute, String amount, String currency) {

    static PartnerCdr customerSide(CdrRecord cdr) {
        return new PartnerCdr(cdr.callUuid(), cdr.attempt(), cdr.startedAt(), cdr.answeredAt(), cdr.endedAt(), cdr.callerIn(), cdr.calleeIn(),
                cdr.billsec(), cdr.sipCode(), cdr.sell() == null ? null : cdr.sell().prefix(),
                cdr.sell() == null ? null : Money.format(cdr.sell().ratePerMinute()), Money.format(cdr.sellCost()), cdr.currency());
    }

    static PartnerCdr vendorSide(CdrRecord cdr) {
        return new PartnerCdr(cdr.callUuid(), cdr.attempt(), cdr.startedAt(), cdr.answeredAt(), cdr.endedAt(), cdr.callerOut(), cdr.calleeOut(),
                cdr.billsec(), cdr.sipCode(), cdr.buy() == null ? null : cdr.buy().prefix(),
                cdr.buy() == null ? null : Money.format(cdr.buy().ratePerMinute()), Money.format(cdr.buyCost()), cdr.currency());
    }
}
