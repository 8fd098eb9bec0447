package io.tandem.console.ui.forms;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Account names for a grid's rows, read for the ids a page shows (one query per page, only for the ids not
 * seen yet) instead of a list of every account: the grid labels any account however many there are.
 */
public final class AccountLabels {

    private final Function<Collection<Long>, Map<Long, String>> lookup;
    private final Map<Long, String> known = new HashMap<>();

    /** {@code lookup}: an application service's names for ids (ids it does not know are left out). */
    public AccountLabels(Function<Collection<Long>, Map<Long, String>> lookup) {
        this.lookup = lookup;
    }

    /** Reads the names of these ids (nulls skipped) that are not known yet; returns {@code rows} for chaining. */
    public <T> List<T> learn(List<T> rows, Function<T, Long> id) {
        return learn(rows, List.of(id));
    }

    public <T> List<T> learn(List<T> rows, List<Function<T, Long>> ids) {
        Set<Long> missing = rows.stream().flatMap(row -> ids.stream().map(id -> id.apply(row)))
                .filter(value -> value != null && !known.containsKey(value)).collect(Collectors.toSet());
        if (!missing.isEmpty()) {
            Map<Long, String> found = lookup.apply(missing);
            missing.forEach(value -> known.put(value, found.getOrDefault(value, "#" + value)));
        }
        return rows;
    }

    /** Forgets every name (after an account may have been renamed). */
    public void forget() {
        known.clear();
    }

    /** The account's name, or "#id" for an account not read (or gone); empty for null. */
    public String name(Long id) {
        if (id == null) {
            return "";
        }
        if (!known.containsKey(id)) {
            learn(List.of(id), Function.identity());
        }
        return known.get(id);
    }
}
