package io.tandem.routing.trie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.routing.testing.RandomCases;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The trie against a brute-force oracle: scan every prefix, keep the longest the number starts with. */
class PrefixTrieOracleTest {

    @Test
    void longestMatchAndAllMatchesAgreeWithScanningEveryPrefix() {
        RandomCases.check(500, random -> {
            // a small alphabet makes shared paths and nested prefixes likely
            Set<String> prefixes = new HashSet<>();
            int count = random.nextInt(0, 200);
            for (int i = 0; i < count; i++) {
                prefixes.add(RandomCases.string(random, "0123", 0, 7));
            }
            PrefixTrie.Builder builder = PrefixTrie.builder(4);
            Map<String, Integer> ids = new HashMap<>();
            for (String prefix : prefixes) {
                ids.put(prefix, builder.add(prefix));
            }
            PrefixTrie trie = builder.build();
            List<String> probes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                probes.add(RandomCases.string(random, "01234#", 0, 12));
            }
            prefixes.stream().limit(20).forEach(p -> probes.add(p + "0123"));
            int[] out = new int[64];
            for (String number : probes) {
                String expected = prefixes.stream().filter(number::startsWith)
                        .max((a, b) -> Integer.compare(a.length(), b.length())).orElse(null);
                int id = trie.longestMatch(number);
                if (expected == null) {
                    assertThat(id).as("no prefix matches %s", number).isEqualTo(-1);
                } else {
                    assertThat(id).as("longest prefix of %s is %s", number, expected).isEqualTo(ids.get(expected));
                    assertThat(number.substring(0, trie.prefixLength(id))).isEqualTo(expected);
                }
                int matched = trie.matches(number, out);
                List<String> all = new ArrayList<>();
                for (int i = 0; i < matched; i++) {
                    all.add(number.substring(0, trie.prefixLength(out[i])));
                    assertThat(out[i]).isEqualTo(ids.get(all.getLast()));
                }
                // only digits count: the oracle stops at the first non-digit, as dialling does
                int digits = 0;
                while (digits < number.length() && Character.isDigit(number.charAt(digits))) {
                    digits++;
                }
                String dialled = number.substring(0, digits);
                List<String> oracle = prefixes.stream().filter(dialled::startsWith)
                        .sorted((a, b) -> Integer.compare(b.length(), a.length())).toList();
                assertThat(all).as("all prefixes of %s, longest first", number).isEqualTo(oracle);
            }
            assertThat(trie.size()).isEqualTo(prefixes.size());
            for (String prefix : prefixes) {
                assertThat(trie.find(prefix)).isEqualTo(ids.get(prefix));
                assertThat(trie.prefixLength(ids.get(prefix))).isEqualTo(prefix.length());
            }
        });
    }

    @Test
    void addingTheSamePrefixTwiceKeepsOneId() {
        PrefixTrie.Builder builder = PrefixTrie.builder();
        int first = builder.add("4420");
        builder.add("44");
        assertThat(builder.add("4420")).isEqualTo(first);
        assertThat(builder.build().size()).isEqualTo(2);
    }

    @Test
    void rejectsWhatIsNotADialledPrefix() {
        PrefixTrie.Builder builder = PrefixTrie.builder();
        assertThatThrownBy(() -> builder.add("+44")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("digits");
        assertThatThrownBy(() -> builder.add("1".repeat(33))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyPrefixMatchesEveryNumber() {
        PrefixTrie.Builder builder = PrefixTrie.builder();
        int all = builder.add("");
        PrefixTrie trie = builder.build();
        assertThat(trie.longestMatch("999")).isEqualTo(all);
        assertThat(trie.prefixLength(all)).isZero();
    }
}
