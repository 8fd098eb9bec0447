package io.tandem.billing.authorization;

import java.math.BigDecimal;

/**
 * What an account may spend right now, as read at a lease top-up or reservation.
 *
 * @param available       {@code balance - held + credit_limit}
 * @param active          only active accounts may place calls
 * @param dailyHeadroom   what the daily spend limit still allows today, or null for no limit
 */
public record AccountFunds(long accountId, BigDecimal available, boolean active, BigDecimal dailyHeadroom) {
}
