package io.tandem.console.cdrs;

/**
 * A CDR search as a user states it: the period in ISO-8601 UTC, the rest optional. {@code outcome}:
 * {@code any} (default), {@code answered} or {@code failed}; {@code numberPrefix} digits of the number sent to
 * the vendor; {@code sipCode} the attempt's final status.
 */
public record CdrQuery(String from, String until, Long customer, Long vendor, String numberPrefix, String outcome, Integer sipCode) {

    public static CdrQuery period(String from, String until) {
        return new CdrQuery(from, until, null, null, null, null, null);
    }
}
