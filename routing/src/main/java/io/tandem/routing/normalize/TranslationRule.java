package io.tandem.routing.normalize;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One number-translation rule: when {@code match} is found in the number, the first occurrence is
 * replaced by {@code replacement} ({@code $1} refers to groups). Anchor patterns with {@code ^}
 * to act on the start of the number, e.g. {@code ^00} → {@code ""} or {@code ^0([1-9])} →
 * {@code 44$1}.
 */
public record TranslationRule(Pattern match, String replacement) {

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
        Matcher matcher = match.matcher(number);
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
}
