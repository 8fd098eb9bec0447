package io.tandem.routing.normalize;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the translation rules stored on a trunk ({@code ingress_trunk.callee_translations}):
 * a JSON array of {@code {"match": regex, "replace": replacement}} objects, applied in order.
 */
public final class TranslationRules {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TranslationRules() {
    }

    /**
     * @param json null or blank means no rules
     * @throws IllegalArgumentException naming the rule that is malformed
     */
    public static List<TranslationRule> parse(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Translation rules are not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException("Translation rules must be a JSON array of {\"match\", \"replace\"} objects");
        }
        List<TranslationRule> rules = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            JsonNode match = node.get("match");
            if (match == null || !match.isString() || match.asString().isEmpty()) {
                throw new IllegalArgumentException("Translation rule " + (i + 1) + " has no \"match\" pattern");
            }
            JsonNode replace = node.get("replace");
            try {
                rules.add(TranslationRule.of(match.asString(), replace == null || replace.isNull() ? "" : replace.asString()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Translation rule " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(rules);
    }

    /** The JSON form of rules, as stored on the trunk. */
    public static String toJson(List<TranslationRule> rules) {
        List<java.util.Map<String, String>> list = new ArrayList<>(rules.size());
        for (TranslationRule rule : rules) {
            list.add(java.util.Map.of("match", rule.match().pattern(), "replace", rule.replacement()));
        }
        return JSON.writeValueAsString(list);
    }
}
