package io.tandem.console.cdrs;

import io.tandem.billing.cdr.CdrExport;
import io.tandem.billing.cdr.CdrFilter;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.persistence.CdrStore;
import io.tandem.billing.persistence.CdrStore.PagePosition;
import io.tandem.billing.persistence.CdrStore.PagedCdr;
import io.tandem.billing.rerating.RerateReport;
import io.tandem.billing.rerating.RerateTotal;
import io.tandem.billing.rerating.Rerater;
import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.security.ApiRole;
import io.tandem.console.service.Caller;
import io.tandem.console.service.Outcome;
import io.tandem.console.ui.ConsoleRole;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * CDRs for the REST API and the console: the search (keyset pages, newest first), one call's attempts, the
 * streamed CSV export, and re-rating (a preview, then ledger adjustments, audited).
 *
 * <p>Everyone reads and exports; re-rating is ADMIN and FINANCE in the console, admin and operator API keys.
 */
@Service
public class CdrService {

    public static final Set<String> RERATE = Caller.authorities(Set.of(ConsoleRole.ADMIN, ConsoleRole.FINANCE),
            Set.of(ApiRole.ADMIN, ApiRole.OPERATOR));

    public static final int MAX_PREFIX = 32;
    /** A search covers at most this much time, so that a forgotten filter cannot scan years of CDRs. */
    public static final Duration MAX_SEARCH_PERIOD = Duration.ofDays(366);

    private final CdrStore cdrs;
    private final Rerater rerater;
    private final AuditLogRepository audit;
    private final ReratingPreviews previews = new ReratingPreviews();

    public CdrService(CdrStore cdrs, Rerater rerater, AuditLogRepository audit) {
        this.cdrs = cdrs;
        this.rerater = rerater;
        this.audit = audit;
    }

    /** The query as a filter, or a message per field that needs attention. */
    public Outcome<CdrFilter> filter(CdrQuery query) {
        Map<String, String> errors = new LinkedHashMap<>();
        Instant start = instant("from", query.from(), errors);
        Instant end = instant("until", query.until(), errors);
        if (start != null && end != null && !end.isAfter(start)) {
            errors.put("until", "must be after from");
        }
        String prefix = query.numberPrefix() == null ? "" : query.numberPrefix().trim();
        if (prefix.length() > MAX_PREFIX) {
            errors.put("numberPrefix", "at most " + MAX_PREFIX + " digits");
        } else if (!prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            errors.put("numberPrefix", "digits only, e.g. 4420");
        }
        String outcome = query.outcome() == null || query.outcome().isBlank() ? "any" : query.outcome().trim().toLowerCase(Locale.ROOT);
        if (!List.of("any", "answered", "failed").contains(outcome)) {
            errors.put("outcome", "any, answered or failed");
        }
        if (query.sipCode() != null && (query.sipCode() < 100 || query.sipCode() > 699)) {
            errors.put("sipCode", "a SIP status from 100 to 699");
        }
        if (!errors.isEmpty()) {
            return Outcome.invalid(errors);
        }
        CdrFilter filter = CdrFilter.period(start, end);
        if (query.customer() != null) {
            filter = filter.customer(query.customer());
        }
        if (query.vendor() != null) {
            filter = filter.vendor(query.vendor());
        }
        if (!prefix.isEmpty()) {
            filter = filter.calleePrefix(prefix);
        }
        if (query.sipCode() != null) {
            filter = filter.sipCode(query.sipCode());
        }
        return new Outcome.Done<>(switch (outcome) {
            case "answered" -> filter.answered();
            case "failed" -> filter.failed();
            default -> filter;
        });
    }

    /** One page of a search, newest first, after {@code after} (null = the newest). */
    public Outcome<List<PagedCdr>> search(CdrFilter filter, PagePosition after, int limit) {
        if (Duration.between(filter.from(), filter.until()).compareTo(MAX_SEARCH_PERIOD) > 0) {
            return Outcome.invalid(Map.of("from", "a search covers at most " + MAX_SEARCH_PERIOD.toDays() + " days; narrow the period"));
        }
        return new Outcome.Done<>(cdrs.page(filter, after, Math.clamp(limit, 1, 1000)));
    }

    /** Every attempt of one call, in order; empty when there is none. */
    public List<CdrRecord> call(UUID callUuid) {
        return cdrs.findByCall(callUuid);
    }

    /** Writes the filter's CDRs as CSV, row by row from a database cursor. Blocking. */
    public long writeCsv(CdrFilter filter, Writer out) {
        return new CdrExport(cdrs).writeCsv(filter, out);
    }

    /** Prices a period's answered CDRs again with the decks in force now; changes nothing yet. */
    public Outcome<RerateReport> previewRerating(Caller caller, CdrFilter filter) {
        caller.require(RERATE, "re-rate CDRs");
        if (filter.failedOnly()) {
            return Outcome.invalid(Map.of("outcome", "re-rating prices answered calls: choose answered or any"));
        }
        RerateReport report = rerater.preview(answeredOnly(filter));
        previews.keep(report);
        return new Outcome.Done<>(report);
    }

    private static CdrFilter answeredOnly(CdrFilter filter) {
        return filter.answeredOnly() ? filter : filter.answered();
    }

    /** Applies a preview as ledger adjustments; applying the same preview again changes nothing. */
    public Outcome<List<RerateTotal>> applyRerating(Caller caller, UUID previewId) {
        caller.require(RERATE, "re-rate CDRs");
        RerateReport report = previews.find(previewId).orElse(null);
        if (report == null) {
            return new Outcome.NotFound<>("no re-rating preview " + previewId + " on this node: previews live in memory"
                    + " for " + ReratingPreviews.TIME_TO_LIVE.toMinutes() + " minutes, at most " + ReratingPreviews.MAXIMUM_PREVIEWS
                    + " of them; preview the period again");
        }
        List<RerateTotal> applied = rerater.apply(report, caller.name());
        audit.record(caller.name(), "rerate", "cdr", previewId.toString(), applied.size() + " accounts", caller.sourceIp());
        return new Outcome.Done<>(applied);
    }

    private static Instant instant(String field, String value, Map<String, String> errors) {
        if (value == null || value.isBlank()) {
            errors.put(field, "required, ISO-8601 UTC, e.g. 2026-11-01T00:00:00Z");
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            errors.put(field, "not an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z");
            return null;
        }
    }
}
