package io.tandem.console.notices;

import io.tandem.console.audit.persistence.AuditLogRepository;
import io.tandem.console.notices.persistence.RateNoticeRepository;
import io.tandem.console.partners.persistence.PartnerRepository;
import io.tandem.console.service.Caller;
import io.tandem.routing.DeckDirection;
import io.tandem.routing.Micros;
import io.tandem.routing.deck.CurrentRate;
import io.tandem.routing.deck.RateDeck;
import io.tandem.routing.persistence.RateDeckRepository;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rate-change notices: when a sell deck changes, each customer it prices gets a notice listing increases,
 * decreases, new and closed codes with their dates. The notice is kept (console, API, partner view) and mailed
 * with its CSV attached to the account's notice addresses.
 *
 * <p>Use: {@link #snapshot} the deck before the change, make the change, then {@link #afterChange} with the
 * snapshot. The snapshot holds every period of the deck that is not over, so it costs memory in proportion to the
 * deck (about 200 bytes a period); buy decks take none.
 */
public class RateNotices {

    public static final String CSV_HEADER = "change,prefix,destination,old_rate,new_rate,connect_fee,increments,effective_from\n";

    private final RateDeckRepository decks;
    private final RateNoticeRepository notices;
    private final PartnerRepository partners;
    private final RateNoticeMailer mailer;
    private final AuditLogRepository audit;
    private final Clock clock;

    public RateNotices(RateDeckRepository decks, RateNoticeRepository notices, PartnerRepository partners, RateNoticeMailer mailer,
                       AuditLogRepository audit, Clock clock) {
        this.decks = decks;
        this.notices = notices;
        this.partners = partners;
        this.mailer = mailer;
        this.audit = audit;
        this.clock = clock;
    }

    /** The deck's periods that are not over, when it is a sell deck; empty for a buy deck (nobody is told). */
    public Optional<List<CurrentRate>> snapshot(RateDeck deck) {
        if (deck.direction() != DeckDirection.SELL) {
            return Optional.empty();
        }
        List<CurrentRate> rates = new ArrayList<>();
        decks.streamRates(deck.id(), rates::add);
        return Optional.of(rates);
    }

    /**
     * Compares the deck with the snapshot taken before the change and stores and mails one notice per customer the
     * deck prices. Nothing when nothing a customer pays changed.
     */
    public List<RateNotice> afterChange(Caller caller, RateDeck deck, Long importId, List<CurrentRate> before) {
        List<CurrentRate> after = new ArrayList<>();
        decks.streamRates(deck.id(), after::add);
        // milliseconds, as the database keeps them: the mailed CSV and the stored lines must read the same
        List<NoticeLine> lines = RateChangeLines.between(before, after, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        if (lines.isEmpty()) {
            return List.of();
        }
        String csv = csv(lines);
        List<RateNotice> created = new ArrayList<>();
        for (long accountId : notices.customersPricedBy(deck.id())) {
            String recipients = partners.terms(accountId).noticeEmail();
            RateNotice notice = notices.insert(accountId, deck.id(), importId, clock.instant(), lines, recipients);
            audit.record(caller.name(), "notify", "rate_notice", String.valueOf(notice.id()), "account " + accountId + " deck " + deck.id()
                    + ": " + notice.increased() + " increase(s), " + notice.decreased() + " decrease(s), " + notice.added() + " new, "
                    + notice.closed() + " closed; to " + (recipients.isBlank() ? "(no address)" : recipients), caller.sourceIp());
            int noticeDays = decks.noticeDays(deck.id(), accountId).orElse(deck.noticeDays());
            mailer.send(new RateNoticeMailer.Letter(notice, subject(deck, notice), body(deck, notice, noticeDays),
                    "rate-notice-" + notice.id() + ".csv", csv));
            created.add(notice);
        }
        return created;
    }

    public Optional<RateNotice> find(long id) {
        return notices.find(id);
    }

    public List<RateNotice> list(Long accountId, int offset, int limit) {
        return notices.list(accountId, Math.max(0, offset), Math.clamp(limit, 1, 1000));
    }

    public List<NoticeLine> lines(long noticeId) {
        return notices.lines(noticeId);
    }

    /** Writes the notice's lines as CSV, from a cursor. */
    public void writeCsv(long noticeId, Writer out) {
        try {
            out.write(CSV_HEADER);
            notices.streamLines(noticeId, line -> {
                try {
                    out.write(csvRow(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String csv(List<NoticeLine> lines) {
        StringWriter out = new StringWriter();
        out.write(CSV_HEADER);
        lines.forEach(line -> out.write(csvRow(line)));
        return out.toString();
    }

    static String csvRow(NoticeLine line) {
        return line.change().code() + "," + line.prefix() + "," + cell(line.destination()) + "," + money(line.oldRateMicros()) + ","
                + money(line.newRateMicros()) + "," + money(line.connectFeeMicros()) + ","
                + (line.initialIncrement() == null ? "" : line.initialIncrement() + "/" + line.nextIncrement()) + ","
                + line.effectiveFrom() + "\n";
    }

    private static String money(Long micros) {
        return micros == null ? "" : Micros.format(micros);
    }

    /** Quotes a cell when needed and keeps a spreadsheet from running it as a formula. */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n") ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }

    static String subject(RateDeck deck, RateNotice notice) {
        return "Rate change notice " + notice.id() + ": " + deck.name() + ", effective from " + notice.firstEffective();
    }

    static String body(RateDeck deck, RateNotice notice, int noticeDays) {
        return "Your rates in " + deck.name() + " (" + deck.currency() + ") change:\n\n"
                + "  increases: " + notice.increased() + "\n"
                + "  decreases: " + notice.decreased() + "\n"
                + "  new codes: " + notice.added() + "\n"
                + "  closed codes: " + notice.closed() + "\n\n"
                + "The first change takes effect at " + notice.firstEffective() + " (UTC). Increases take effect no earlier than "
                + noticeDays + " days after this notice. The attached CSV lists every changed code with its date.\n";
    }
}
