package io.tandem.routing.normalize;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One number-translation rule: when {@code match} is found in the number, the first occurrence is
 * replaced by {@code replacement} ({@code $1} refers to groups). Anchor patterns with {@code ^}
 * to act on the start of the number, e.g. {@code ^00} → {@code ""} or {@code ^0([1-9])} →
 * {@code 44$1}.
 *
 * <p>Rules run on the call's event loop with numbers a stranger chooses, so their cost is
 * bounded: numbers longer than {@value #MAX_INPUT} characters are never matched, and a match
 * that reads more than {@value #MAX_READS} characters (a backtracking pattern such as
 * {@code ^(\d+)+$} on a crafted number) is abandoned with {@link TooCostly}.
 */
public record TranslationRule(Pattern match, String replacement) {

    /** The longest number a rule is applied to: longer than any E.164 number with prefixes, and than a CDR stores. */
    public static final int MAX_INPUT = 64;
    /** Characters a single match may read: thousands of times what a sane rule on 64 characters needs. */
    static final int MAX_READS = 200_000;

    /** A rule that would read more than {@link #MAX_READS} characters of one number. */
    public static final class TooCostly extends RuntimeException {
        TooCostly(String rule) {
            super("translation rule " + rule + " abandoned after " + MAX_READS + " steps on one number");
        }
    }

    /**
     * @throws java.util.regex.PatternSyntaxException if {@code regex} is not a valid pattern
     * @throws IllegalArgumentException if the replacement refers to a group the pattern lacks
     */
    public static TranslationRule of(String regex, String replacement) {
        Pattern pattern = Pattern.compile(regex);
        TranslationRule rule = new TranslationRule(pattern, replacement == null ? "" : replacement);
        rule.checkReplacement();
        return rule;
    }

    /** The translated number, or null when the rule does not match. */
    public String apply(String number) {
        if (number.length() > MAX_INPUT) {
            return null;
        }
        Matcher matcher = match.matcher(new CountedReads(number, this));
        if (!matcher.find()) {
            return null;
        }
        StringBuilder result = new StringBuilder(number.length() + replacement.length());
        matcher.appendReplacement(result, replacement);
        matcher.appendTail(result);
        return result.toString();
    }

    private void checkReplacement() {
        int groups = match.matcher("").groupCount();
        for (int i = 0; i < replacement.length() - 1; i++) {
            char c = replacement.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '$' && Character.isDigit(replacement.charAt(i + 1))
                    && replacement.charAt(i + 1) - '0' > groups) {
                throw new IllegalArgumentException("Replacement '" + replacement + "' refers to group $"
                        + replacement.charAt(i + 1) + " but '" + match.pattern() + "' has " + groups + " group(s)");
            }
        }
    }

    @Override
    public String toString() {
        return match.pattern() + " -> " + replacement;
    }

    /** The number as the regex engine reads it, each character read counted against {@link #MAX_READS}. */
    private static final class CountedReads implements CharSequence {
        private final String text;
        private final TranslationRule rule;
        private int reads;

        CountedReads(String text, TranslationRule rule) {
            this.text = text;
            this.rule = rule;
        }

        @Override
        public char charAt(int index) {
            if (++reads > MAX_READS) {
                throw new TooCostly(rule.toString());
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
