package io.tandem.billing.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One answered call as one side bills it: when it was connected, the numbers, the seconds and the money.
 * {@code reference} says where it came from: {@code row 17} of their file, or our call's UUID.
 *
 * @param called the called number, normalized by {@link CallLeg#normalize}
 * @param amount null when their file carries no amount column
 */
public record CallLeg(Instant connectedAt, String caller, String called, long seconds, BigDecimal amount, String reference) {

    /** Digits only, without a leading {@code +} or {@code 00}: {@code +44 20 7946-0000} and {@code 00442079460000} compare equal. */
    public static String normalize(String number) {
        if (number == null) {
            return "";
        }
        StringBuilder digits = new StringBuilder(number.length());
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        int start = digits.length() > 2 && digits.charAt(0) == '0' && digits.charAt(1) == '0' ? 2 : 0;
        return digits.substring(start);
    }
}
