package io.tandem.console.ui.accounts;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Money as the console shows it: exact (a {@link BigDecimal}, never a double), grouped, at least two and at
 * most six decimals, followed by the account's currency: {@code 1,234.50 EUR}, {@code 0.0125 USD}.
 */
public final class MoneyText {

    private MoneyText() {
    }

    public static String format(BigDecimal amount, String currency) {
        if (amount == null) {
            return "—";
        }
        // a new format per call: DecimalFormat is not thread-safe, and views render on many threads
        DecimalFormat format = new DecimalFormat("#,##0.00####", DecimalFormatSymbols.getInstance(Locale.ENGLISH));
        return format.format(amount) + (currency == null || currency.isEmpty() ? "" : " " + currency);
    }

    /** A limit: "no limit" when absent. */
    public static String limit(BigDecimal amount, String currency) {
        return amount == null ? "no limit" : format(amount, currency);
    }
}
