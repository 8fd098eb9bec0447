package io.tandem.routing.normalize;

import java.util.ArrayList;
import java.util.List;

/**
 * A trunk's number normalization: strip the tech prefix from the called number, then apply the
 * callee rules to it and the caller rules to the calling number. Within a list the first rule that
 * matches is applied and the rest are ignored, like a dial plan: order rules from specific to
 * general ({@code ^00}, then {@code ^\+}, then {@code ^0}).
 */
public record NumberNormalizer(String techPrefix, List<TranslationRule> calleeRules, List<TranslationRule> callerRules) {

    public static final NumberNormalizer NONE = new NumberNormalizer("", List.of(), List.of());

    public NumberNormalizer {
        techPrefix = techPrefix == null ? "" : techPrefix;
        calleeRules = List.copyOf(calleeRules);
        callerRules = List.copyOf(callerRules);
    }

    public NormalizedCall normalize(String dialled, String caller) {
        List<String> steps = new ArrayList<>(4);
        String callee = dialled == null ? "" : dialled;
        String from = caller == null ? "" : caller;
        if (callee.length() > TranslationRule.MAX_INPUT || from.length() > TranslationRule.MAX_INPUT) {
            return new NormalizedCall(true, callee, from, steps, "a number longer than " + TranslationRule.MAX_INPUT
                    + " characters is not translated");
        }
        if (!techPrefix.isEmpty()) {
            if (!callee.startsWith(techPrefix)) {
                steps.add("tech prefix " + techPrefix + " missing from " + callee);
                return new NormalizedCall(false, callee, from, steps);
            }
            callee = callee.substring(techPrefix.length());
            steps.add("stripped tech prefix " + techPrefix + ": " + callee);
        }
        try {
            callee = translate(calleeRules, callee, "callee", steps);
            from = translate(callerRules, from, "caller", steps);
        } catch (TranslationRule.TooCostly e) {
            return new NormalizedCall(true, callee, from, steps, e.getMessage());
        }
        return new NormalizedCall(true, callee, from, steps);
    }

    private static String translate(List<TranslationRule> rules, String number, String role, List<String> steps) {
        for (TranslationRule rule : rules) {
            String translated = rule.apply(number);
            if (translated != null) {
                steps.add(role + " rule " + rule + ": " + number + " -> " + translated);
                return translated;
            }
        }
        return number;
    }
}
