package io.tandem.console.partners;

/**
 * What the carrier agreed with a partner account: whether its buy deck submissions apply at once when the
 * notice rules hold ({@link SubmissionPolicy#AUTO}) or wait for an operator ({@link SubmissionPolicy#REVIEW}, the
 * default), and the comma-separated addresses rate-change notices are mailed to ("" = none).
 */
public record PartnerTerms(long accountId, SubmissionPolicy submissionPolicy, String noticeEmail) {

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
