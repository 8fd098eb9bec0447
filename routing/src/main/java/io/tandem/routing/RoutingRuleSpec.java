package io.tandem.routing;

import io.tandem.routing.trie.PrefixTrie;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A vendor line of a routing profile as the API receives it. Null priority, weight and enabled
 * take the defaults 100, 100 and true; a null prefix means every number.
 */
public record RoutingRuleSpec(String prefix, Long vendorAccountId, Long vendorGatewayId, Integer priority, Integer weight,
                              BigDecimal rateCeiling, Boolean enabled) {

    /** Field name to message; empty when the spec is fine on its own. */
    public Map<String, String> validate() {
        Map<String, String> errors = new LinkedHashMap<>();
        if (prefix != null && !PrefixTrie.isValidPrefix(prefix)) {
            errors.put("prefix", "digits only, at most " + PrefixTrie.MAX_PREFIX_LENGTH + " (empty = every number)");
        }
        if (vendorAccountId == null) {
            errors.put("vendorAccountId", "required");
        }
        if (priority != null && (priority < 0 || priority > 1_000_000)) {
            errors.put("priority", "between 0 and 1000000");
        }
        if (weight != null && (weight < 0 || weight > 1_000_000)) {
            errors.put("weight", "between 0 and 1000000");
        }
        if (rateCeiling != null && (rateCeiling.signum() < 0 || rateCeiling.stripTrailingZeros().scale() > 6)) {
            errors.put("rateCeiling", "a non-negative amount with at most 6 decimals");
        }
        return errors;
    }
}
