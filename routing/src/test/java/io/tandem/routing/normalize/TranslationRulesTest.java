package io.tandem.routing.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TranslationRulesTest {

    @Test
    void readsTheTrunkJsonAndAppliesTheFirstMatchingRule() {
        List<TranslationRule> rules = TranslationRules.parse("""
                [{"match": "^00", "replace": ""},
                 {"match": "^\\\\+", "replace": ""},
                 {"match": "^0([1-9])", "replace": "49$1"}]""");
        NumberNormalizer normalizer = new NumberNormalizer("", rules, rules);

        assertThat(normalizer.normalize("0049301234", "+4930999").callee()).isEqualTo("49301234");
        assertThat(normalizer.normalize("030123", "").callee()).isEqualTo("4930123");
        assertThat(normalizer.normalize("4930123", "+4930999").caller()).isEqualTo("4930999");
        assertThat(TranslationRules.parse(TranslationRules.toJson(rules))).extracting(TranslationRule::toString)
                .containsExactly("^00 -> ", "^\\+ -> ", "^0([1-9]) -> 49$1");
    }

    /** A stranger's number can never stall the event loop a rule runs on, whatever the operator's pattern. */
    @Test
    void aNumberTooLongOrARuleTooCostlyIsRefusedInsteadOfStallingTheLoop() {
        NumberNormalizer backtracking = new NumberNormalizer("", List.of(TranslationRule.of("^((\\d+)\\2?)+$", "")), List.of());
        long started = System.nanoTime();

        NormalizedCall crafted = backtracking.normalize("1".repeat(30) + "x", "");
        NormalizedCall tooLong = new NumberNormalizer("", List.of(TranslationRule.of("^0", "44")), List.of())
                .normalize("0" + "1".repeat(TranslationRule.MAX_INPUT), "");

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(1));
        assertThat(crafted.untranslatable()).contains("abandoned");
        assertThat(tooLong.untranslatable()).contains("longer than 64");
        assertThat(backtracking.normalize("12341234", "").untranslatable()).as("an ordinary number still translates").isNull();
    }

    @Test
    void techPrefixMustBePresent() {
        NumberNormalizer normalizer = new NumberNormalizer("1234#", List.of(), List.of());

        assertThat(normalizer.normalize("1234#4420", "").callee()).isEqualTo("4420");
        assertThat(normalizer.normalize("4420", "").techPrefixMatched()).isFalse();
    }

    @Test
    void malformedRulesAreRefusedWithTheRuleNumber() {
        assertThat(TranslationRules.parse(null)).isEmpty();
        assertThat(TranslationRules.parse(" ")).isEmpty();
        assertThatThrownBy(() -> TranslationRules.parse("{")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> TranslationRules.parse("{}")).hasMessageContaining("JSON array");
        assertThatThrownBy(() -> TranslationRules.parse("[{\"match\": \"^00\"}, {\"replace\": \"1\"}]"))
                .hasMessageContaining("rule 2").hasMessageContaining("match");
        assertThatThrownBy(() -> TranslationRules.parse("[{\"match\": \"^(0\", \"replace\": \"\"}]"))
                .hasMessageContaining("rule 1");
        assertThatThrownBy(() -> TranslationRules.parse("[{\"match\": \"^0\", \"replace\": \"44$1\"}]"))
                .hasMessageContaining("rule 1").hasMessageContaining("group $1");
    }
}
