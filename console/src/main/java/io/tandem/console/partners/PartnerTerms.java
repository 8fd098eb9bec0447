package io.tandem.console.partners;

/**
 * What the carrier agreed with a partner account: whether its buy deck submissions apply at once when the
 * notice rules hold ({@link SubmissionPolicy#AUTO}) or wait for an operator ({@link SubmissionPolicy#REVIEW}, the
 * default), the comma-separated addresses rate-change notices are mailed to ("" = none), and those issued invoices and
 * credit notes are mailed to with their PDF ("" = not mailed).
 */
public record PartnerTerms(long accountId, SubmissionPolicy submissionPolicy, String noticeEmail, String invoiceEmail) {

    public enum SubmissionPolicy {
        AUTO, REVIEW;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static SubmissionPolicy ofCode(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
