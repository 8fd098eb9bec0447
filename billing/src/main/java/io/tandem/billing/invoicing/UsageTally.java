package io.tandem.billing.invoicing;

import io.tandem.billing.account.Money;
import io.tandem.billing.rating.CallRater;
import io.tandem.billing.rating.RateSnapshot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Calls tallied per prefix as they stream past: calls, billed seconds (the answered seconds rounded up to
 * the rate's increments, as {@link CallRater} charged them) and amount. Memory grows with the number of
 * prefixes, not of calls.
 */
public final class UsageTally {

    /** Calls without an answered CDR (none in a healthy database) are tallied under this prefix. */
    public static final String UNKNOWN_PREFIX = "";

    private final Map<String, long[]> counts = new TreeMap<>();
    private final Map<String, BigDecimal> amounts = new TreeMap<>();

    public void add(String prefix, int answeredSeconds, int initialIncrement, int nextIncrement, BigDecimal amount) {
        String key = prefix == null ? UNKNOWN_PREFIX : prefix;
        RateSnapshot increments = new RateSnapshot(key, BigDecimal.ZERO, BigDecimal.ZERO, Math.max(initialIncrement, 0),
                Math.max(nextIncrement, 1), 0);
        long[] c = counts.computeIfAbsent(key, k -> new long[2]);
        c[0]++;
        c[1] += CallRater.billableSeconds(increments, Math.max(answeredSeconds, 0));
        amounts.merge(key, amount, BigDecimal::add);
    }

    public List<String> prefixes() {
        return List.copyOf(counts.keySet());
    }

    /** One line per prefix, in prefix order; {@code names} gives the destination names known. */
    public List<InvoiceLine> lines(InvoiceLineKind kind, Map<String, String> names) {
        List<InvoiceLine> lines = new ArrayList<>(counts.size());
        counts.forEach((prefix, c) -> {
            String name = names.getOrDefault(prefix, "");
            String description = prefix.isEmpty() ? "Calls without an answered CDR" : name.isBlank() ? prefix : name;
            lines.add(new InvoiceLine(kind, prefix, description, c[0], c[1], Money.round(amounts.get(prefix))));
        });
        return lines;
    }
}
