package io.tandem.billing.cdr;

import io.tandem.billing.rating.RateSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes CDRs as CSV (RFC 4180: comma-separated, CRLF, fields quoted when they hold a comma, a
 * quote or a line break), one row at a time, so an export of millions of rows never sits in
 * memory. Text a customer or vendor controls (numbers, SIP reasons, Call-IDs) is neutralised
 * against spreadsheet formula injection: a value starting with {@code = + - @}, tab or carriage
 * return gets a leading apostrophe ({@code +4420...} becomes {@code '+4420...}). Amounts and
 * counts Tandem computes itself are written as plain numbers, so a negative margin stays a
 * number a spreadsheet can sum.
 */
public final class CdrCsvWriter implements Consumer<CdrRecord> {

    /** The header row, in column order. */
    public static final List<String> COLUMNS = List.of(
            "call_uuid", "attempt", "node_id", "sip_call_id", "customer_account_id", "ingress_trunk_id",
            "vendor_account_id", "vendor_gateway_id", "caller_in", "callee_in", "caller_out", "callee_out",
            "started_at", "answered_at", "ended_at", "duration_ms", "billsec", "pdd_ms", "sip_code", "sip_reason",
            "q850_cause", "hangup_side", "currency", "sell_prefix", "sell_rate", "sell_connect_fee", "sell_increments",
            "buy_prefix", "buy_rate", "buy_connect_fee", "buy_increments", "sell_cost", "buy_cost", "margin",
            "rtp_customer_packets", "rtp_customer_octets", "rtp_customer_lost", "rtp_customer_jitter_ms",
            "rtp_vendor_packets", "rtp_vendor_octets", "rtp_vendor_lost", "rtp_vendor_jitter_ms");

    private final Writer out;
    private final StringBuilder line = new StringBuilder(512);
    private long rows;

    /** Writes the header row at once. */
    public CdrCsvWriter(Writer out) {
        this.out = out;
        for (String column : COLUMNS) {
            field(column, false);
        }
        endLine();
    }

    /** Appends one row. I/O failures surface as {@link UncheckedIOException} (e.g. the client went away). */
    @Override
    public void accept(CdrRecord c) {
        text(c.callUuid().toString());
        number(c.attempt());
        text(c.nodeId());
        text(c.sipCallId());
        number(c.customerAccountId());
        number(c.ingressTrunkId());
        number(c.vendorAccountId());
        number(c.vendorGatewayId());
        text(c.callerIn());
        text(c.calleeIn());
        text(c.callerOut());
        text(c.calleeOut());
        time(c.startedAt());
        time(c.answeredAt());
        time(c.endedAt());
        number(c.durationMs());
        number(c.billsec());
        number(c.pddMs());
        number(c.sipCode());
        text(c.sipReason());
        number(c.q850Cause());
        text(c.hangupSide().code());
        text(c.currency());
        rate(c.sell());
        rate(c.buy());
        money(c.sellCost());
        money(c.buyCost());
        money(c.margin());
        media(c.media() == null ? null : c.media().fromCustomer());
        media(c.media() == null ? null : c.media().fromVendor());
        endLine();
        rows++;
    }

    /** Data rows written so far. */
    public long rows() {
        return rows;
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The spreadsheet-safe form of a text value (see the class comment). */
    public static String neutralise(String value) {
        if (value.isEmpty()) {
            return value;
        }
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        return formula ? "'" + value : value;
    }

    private void rate(RateSnapshot rate) {
        if (rate == null) {
            field("", false);
            field("", false);
            field("", false);
            field("", false);
            return;
        }
        text(rate.prefix());
        money(rate.ratePerMinute());
        money(rate.connectFee());
        field(rate.initialIncrement() + "/" + rate.nextIncrement(), false);
    }

    /** Empty cells when the call's media was not anchored. */
    private void media(CdrMediaStats.Direction direction) {
        number(direction == null ? null : direction.packets());
        number(direction == null ? null : direction.octets());
        number(direction == null ? null : direction.lost());
        number(direction == null ? null : direction.jitterMs());
    }

    private void text(String value) {
        field(value == null ? "" : neutralise(value), true);
    }

    private void number(Number value) {
        field(value == null ? "" : value.toString(), false);
    }

    private void money(BigDecimal value) {
        field(value == null ? "" : value.toPlainString(), false);
    }

    private void time(Instant value) {
        field(value == null ? "" : value.toString(), false);
    }

    private void field(String value, boolean mayNeedQuotes) {
        if (!line.isEmpty()) {
            line.append(',');
        }
        if (mayNeedQuotes && needsQuotes(value)) {
            line.append('"').append(value.replace("\"", "\"\"")).append('"');
        } else {
            line.append(value);
        }
    }

    private static boolean needsQuotes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    private void endLine() {
        line.append("\r\n");
        try {
            out.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException("CDR export interrupted", e);
        }
        line.setLength(0);
    }
}
