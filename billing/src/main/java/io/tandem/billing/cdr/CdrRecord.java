package io.tandem.billing.cdr;

import io.tandem.billing.account.Money;
import io.tandem.billing.rating.CallRater;
import io.tandem.billing.rating.RateSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One attempt of a call (one row of {@code cdr}): answered or failed, with the numbers before and
 * after translation, the rate snapshots of both sides and what each side costs. A call that
 * failed over to a second vendor has two records, attempts 1 and 2; only an answered attempt
 * costs money.
 *
 * <p>{@code durationMs} runs from {@code startedAt} to {@code endedAt} (the whole attempt);
 * {@code billsec} is the answered time in whole seconds, a started second counting. Use
 * {@link #priced()} to fill {@code billsec} and the costs from the timestamps and snapshots.
 *
 * @param sell the customer's rate snapshot (null if none was found)
 * @param buy   the rate snapshot of the vendor leg of this attempt (null if no vendor was tried)
 * @param media what the media relay saw, on the attempt that carried the call's media (null when not anchored)
 */
public record CdrRecord(
        UUID callUuid,
        int attempt,
        String nodeId,
        String sipCallId,
        long customerAccountId,
        Long ingressTrunkId,
        Long vendorAccountId,
        Long vendorGatewayId,
        String callerIn,
        String calleeIn,
        String callerOut,
        String calleeOut,
        Instant startedAt,
        Instant answeredAt,
        Instant endedAt,
        long durationMs,
        int billsec,
        Integer pddMs,
        int sipCode,
        String sipReason,
        Integer q850Cause,
        HangupSide hangupSide,
        String currency,
        RateSnapshot sell,
        RateSnapshot buy,
        BigDecimal sellCost,
        BigDecimal buyCost,
        BigDecimal margin,
        CdrMediaStats media) {

    /** An attempt without media figures (its media was not anchored). */
    public CdrRecord(UUID callUuid, int attempt, String nodeId, String sipCallId, long customerAccountId, Long ingressTrunkId,
                     Long vendorAccountId, Long vendorGatewayId, String callerIn, String calleeIn, String callerOut,
                     String calleeOut, Instant startedAt, Instant answeredAt, Instant endedAt, long durationMs, int billsec,
                     Integer pddMs, int sipCode, String sipReason, Integer q850Cause, HangupSide hangupSide, String currency,
                     RateSnapshot sell, RateSnapshot buy, BigDecimal sellCost, BigDecimal buyCost, BigDecimal margin) {
        this(callUuid, attempt, nodeId, sipCallId, customerAccountId, ingressTrunkId, vendorAccountId, vendorGatewayId, callerIn,
                calleeIn, callerOut, calleeOut, startedAt, answeredAt, endedAt, durationMs, billsec, pddMs, sipCode, sipReason,
                q850Cause, hangupSide, currency, sell, buy, sellCost, buyCost, margin, null);
    }

    public CdrRecord {
        Objects.requireNonNull(callUuid, "callUuid");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(sipCallId, "sipCallId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(hangupSide, "hangupSide");
        Objects.requireNonNull(currency, "currency");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + attempt);
        }
        // Text that came from the network is kept at its column's length, so a CDR can always be
        // stored: a CDR the database refuses must never be what undoes a call's charge.
        nodeId = bounded(nodeId, MAX_NODE_ID);
        sipCallId = bounded(sipCallId, MAX_SIP_CALL_ID);
        callerIn = bounded(Objects.requireNonNullElse(callerIn, ""), MAX_NUMBER);
        calleeIn = bounded(Objects.requireNonNullElse(calleeIn, ""), MAX_NUMBER);
        callerOut = bounded(Objects.requireNonNullElse(callerOut, ""), MAX_NUMBER);
        calleeOut = bounded(Objects.requireNonNullElse(calleeOut, ""), MAX_NUMBER);
        sipReason = bounded(Objects.requireNonNullElse(sipReason, ""), MAX_SIP_REASON);
        sellCost = Money.round(Objects.requireNonNullElse(sellCost, BigDecimal.ZERO));
        buyCost = Money.round(Objects.requireNonNullElse(buyCost, BigDecimal.ZERO));
        margin = Money.round(Objects.requireNonNullElse(margin, BigDecimal.ZERO));
    }

    /** Column lengths of {@code cdr} (V1__schema.sql), in characters. */
    public static final int MAX_NODE_ID = 64;
    public static final int MAX_SIP_CALL_ID = 255;
    public static final int MAX_NUMBER = 64;
    public static final int MAX_SIP_REASON = 128;

    /** The text cut to {@code max} characters, never inside a surrogate pair. */
    static String bounded(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }

    public boolean answered() {
        return answeredAt != null;
    }

    /**
     * This record with {@code billsec}, both costs and the margin computed from the answer and
     * end times and the two snapshots. An unanswered attempt costs nothing on either side.
     */
    public CdrRecord priced() {
        int seconds = answered()
                ? Math.toIntExact(CallRater.answeredSeconds(Math.max(0, endedAt.toEpochMilli() - answeredAt.toEpochMilli())))
                : 0;
        BigDecimal sellAmount = answered() && sell != null ? CallRater.charge(sell, seconds).cost() : Money.ZERO;
        BigDecimal buyAmount = answered() && buy != null ? CallRater.charge(buy, seconds).cost() : Money.ZERO;
        return withCosts(seconds, sellAmount, buyAmount);
    }

    /** This record with other prices (re-rating). */
    public CdrRecord withCosts(int newBillsec, BigDecimal newSellCost, BigDecimal newBuyCost) {
        return new CdrRecord(callUuid, attempt, nodeId, sipCallId, customerAccountId, ingressTrunkId,
                vendorAccountId, vendorGatewayId, callerIn, calleeIn, callerOut, calleeOut, startedAt, answeredAt,
                endedAt, durationMs, newBillsec, pddMs, sipCode, sipReason, q850Cause, hangupSide, currency, sell, buy,
                newSellCost, newBuyCost, newSellCost.subtract(newBuyCost), media);
    }

    /** This record with the media relay's figures of the call. */
    public CdrRecord withMedia(CdrMediaStats stats) {
        return new CdrRecord(callUuid, attempt, nodeId, sipCallId, customerAccountId, ingressTrunkId,
                vendorAccountId, vendorGatewayId, callerIn, calleeIn, callerOut, calleeOut, startedAt, answeredAt,
                endedAt, durationMs, billsec, pddMs, sipCode, sipReason, q850Cause, hangupSide, currency, sell, buy,
                sellCost, buyCost, margin, stats);
    }
}
