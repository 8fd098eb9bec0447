package io.tandem.billing.rerating;

import io.tandem.billing.account.Money;
import io.tandem.billing.cdr.CdrFilter;
import io.tandem.billing.cdr.CdrSource;
import io.tandem.billing.rating.CallRater;
import io.tandem.billing.rating.RateSnapshot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Re-prices a period's answered calls with the sell decks now in force (after a deck was
 * corrected, say): first as a preview that changes nothing, then, if the operator agrees, as
 * ledger adjustments ({@code rerate} entries) with the CDRs updated to the new price. Only the
 * customer side is re-rated; buy costs stay, margins follow the new sell price. Blocking.
 */
public final class Rerater {

    private final CdrSource cdrs;
    private final RateLookup rates;
    private final RerateAdjustments adjustments;

    public Rerater(CdrSource cdrs, RateLookup rates, RerateAdjustments adjustments) {
        this.cdrs = cdrs;
        this.rates = rates;
        this.adjustments = adjustments;
    }

    /** What re-rating the answered calls matching {@code filter} would change. Changes nothing. */
    public RerateReport preview(CdrFilter filter) {
        List<RerateLine> changes = new ArrayList<>();
        long[] counts = new long[2];
        cdrs.stream(filter.answered(), cdr -> {
            counts[0]++;
            Optional<RateSnapshot> rate = rates.sellRate(cdr);
            if (rate.isEmpty()) {
                counts[1]++;
                return;
            }
            BigDecimal newCost = CallRater.charge(rate.get(), cdr.billsec()).cost();
            if (newCost.compareTo(cdr.sellCost()) != 0) {
                changes.add(new RerateLine(cdr.callUuid(), cdr.attempt(), cdr.customerAccountId(), cdr.billsec(),
                        cdr.buyCost(), cdr.sellCost(), newCost, rate.get()));
            }
        });
        Map<Long, RerateTotal> totals = new TreeMap<>();
        for (RerateLine line : changes) {
            totals.merge(line.customerAccountId(),
                    new RerateTotal(line.customerAccountId(), 1, line.oldSellCost(), line.newSellCost()),
                    (a, b) -> new RerateTotal(a.customerAccountId(), a.calls() + b.calls(),
                            a.oldTotal().add(b.oldTotal()), a.newTotal().add(b.newTotal())));
        }
        return new RerateReport(UUID.randomUUID(), filter, counts[0], counts[1], List.copyOf(totals.values()), changes);
    }

    /**
     * Applies a preview: per customer, one transaction re-prices its CDRs (those still at the
     * preview's old price) and posts one {@code rerate} ledger entry for the difference, keyed
     * {@code rerate:<preview id>:<account>} so a second apply of the same preview changes nothing.
     *
     * @return per customer, what was actually adjusted
     */
    public List<RerateTotal> apply(RerateReport report, String actor) {
        Map<Long, List<RerateLine>> byCustomer = new LinkedHashMap<>();
        for (RerateLine line : report.changes()) {
            byCustomer.computeIfAbsent(line.customerAccountId(), id -> new ArrayList<>()).add(line);
        }
        List<RerateTotal> applied = new ArrayList<>();
        for (Map.Entry<Long, List<RerateLine>> customer : byCustomer.entrySet()) {
            String key = "rerate:" + report.id() + ":" + customer.getKey();
            List<RerateLine> done = adjustments.apply(customer.getKey(), customer.getValue(), key, actor);
            BigDecimal oldTotal = Money.ZERO;
            BigDecimal newTotal = Money.ZERO;
            for (RerateLine line : done) {
                oldTotal = oldTotal.add(line.oldSellCost());
                newTotal = newTotal.add(line.newSellCost());
            }
            applied.add(new RerateTotal(customer.getKey(), done.size(), oldTotal, newTotal));
        }
        return applied;
    }
}
