package io.tandem.billing.invoicing;

import io.tandem.billing.account.Money;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one account is invoiced: the numbering series, the cycle in months and the tax (label and rate,
 * {@code 0.200000} = 20 %). Accounts without a stored profile use {@link #defaults}.
 */
public record InvoiceProfile(long accountId, String series, int cycleMonths, String taxLabel, BigDecimal taxRate) {

    public static final int MAX_SERIES = 16;
    public static final int MAX_TAX_LABEL = 64;
    public static final String DEFAULT_SERIES = "INV";
    public static final String CREDIT_NOTE_SERIES = "CN";

    public static InvoiceProfile defaults(long accountId) {
        return new InvoiceProfile(accountId, DEFAULT_SERIES, 1, "", Money.ZERO);
    }

    /** One message per field that is not acceptable; empty when the profile can be stored. */
    public Map<String, String> problems() {
        Map<String, String> errors = new LinkedHashMap<>();
        if (series == null || !series.matches("[A-Z0-9]{1," + MAX_SERIES + "}")) {
            errors.put("series", "1 to " + MAX_SERIES + " capital letters or digits, e.g. INV");
        } else if (series.equals(CREDIT_NOTE_SERIES)) {
            errors.put("series", CREDIT_NOTE_SERIES + " is the credit notes' series");
        }
        if (12 % Math.max(cycleMonths, 1) != 0 || cycleMonths < 1) {
            errors.put("cycleMonths", "1, 2, 3, 4, 6 or 12");
        }
        if (taxLabel == null || taxLabel.length() > MAX_TAX_LABEL || taxLabel.chars().anyMatch(Character::isISOControl)) {
            errors.put("taxLabel", "at most " + MAX_TAX_LABEL + " characters, no control characters");
        }
        if (taxRate == null || taxRate.signum() < 0 || taxRate.compareTo(BigDecimal.ONE) > 0
                || taxRate.stripTrailingZeros().scale() > Money.SCALE) {
            errors.put("taxRate", "a fraction from 0 to 1 with at most 6 decimals, e.g. 0.2 for 20 %");
        } else if (taxRate.signum() > 0 && (taxLabel == null || taxLabel.isBlank())) {
            errors.put("taxLabel", "a tax needs a label, e.g. VAT 20%");
        }
        return errors;
    }
}
