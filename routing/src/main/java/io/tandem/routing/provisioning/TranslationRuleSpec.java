package io.tandem.routing.provisioning;

/**
 * One number-translation rule as stored on a trunk: a Java regular expression and its
 * replacement ({@code $1} back-references allowed). Rules apply in order.
 */
public record TranslationRuleSpec(String match, String replace) {
}
