package io.tandem.console.change;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Objects;
import java.util.Set;

/**
 * What an update changed, field by field with the value before and after, for the audit log:
 * {@code "; maxCps 10 -> 20; enabled true -> false"}. Both sides are the same record type.
 */
public final class FieldChanges {

    private FieldChanges() {
    }

    /** @param hidden fields whose values are secrets: recorded as "changed", never with their value */
    public static <R extends Record> String describe(R before, R after, Set<String> hidden) {
        StringBuilder text = new StringBuilder();
        for (RecordComponent component : before.getClass().getRecordComponents()) {
            Object was = value(component, before);
            Object now = value(component, after);
            if (!Objects.equals(was, now)) {
                text.append("; ").append(component.getName());
                if (hidden.contains(component.getName())) {
                    text.append(" changed");
                } else {
                    text.append(' ').append(was).append(" -> ").append(now);
                }
            }
        }
        return text.toString();
    }

    /** One changed field read back from an audit detail. */
    public record Change(String field, String before, String after) {
    }

    /**
     * The changes an audit detail written by {@link #describe} (or in its shape) holds, in order;
     * empty when it holds none. The text before the first {@code "; "} is the entity's name.
     */
    public static java.util.List<Change> parse(String detail) {
        java.util.List<Change> changes = new java.util.ArrayList<>();
        if (detail == null) {
            return changes;
        }
        String[] parts = detail.split("; ");
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int space = part.indexOf(' ');
            int arrow = part.indexOf(" -> ");
            if (space > 0 && arrow > space) {
                changes.add(new Change(part.substring(0, space), part.substring(space + 1, arrow), part.substring(arrow + 4)));
            } else if (space > 0 && part.endsWith(" changed")) {
                changes.add(new Change(part.substring(0, space), "(hidden)", "(hidden)"));
            }
        }
        return changes;
    }

    private static Object value(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of " + record.getClass().getSimpleName(), e);
        }
    }
}
