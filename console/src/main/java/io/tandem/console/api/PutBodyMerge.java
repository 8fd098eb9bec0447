package io.tandem.console.api;

import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a {@code PUT} body onto a resource's current state, one level deep in the spirit of JSON
 * Merge Patch (RFC 7396): a field the body leaves out keeps its value, so a script that sends only
 * what it changes cannot reactivate a suspended account, re-enable a disabled trunk or lift a limit
 * it never mentioned. An explicit {@code null} clears a field whose empty value means something
 * ("no limit", "no deck"); on any other field it counts as left out.
 */
public final class PutBodyMerge {

    private final JsonMapper json;

    public PutBodyMerge(JsonMapper json) {
        this.json = json;
    }

    /** The merged request, or why the body cannot be one. */
    public sealed interface Merged<T> {

        record Request<T>(T request) implements Merged<T> {
        }

        record Unreadable<T>(String problem) implements Merged<T> {
        }
    }

    /**
     * @param current   the resource as a request of {@code type} would state it
     * @param body      the {@code PUT} body as sent
     * @param clearable fields an explicit {@code null} empties
     */
    public <T> Merged<T> merge(T current, JsonNode body, Class<T> type, Set<String> clearable) {
        if (body == null || !body.isObject()) {
            return new Merged.Unreadable<>("request body is not valid JSON for this resource: a JSON object is expected");
        }
        ObjectNode merged = (ObjectNode) json.valueToTree(current);
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (field.getValue().isNull() && !clearable.contains(field.getKey())) {
                continue;
            }
            merged.set(field.getKey(), field.getValue());
        }
        try {
            return new Merged.Request<>(json.treeToValue(merged, type));
        } catch (JacksonException e) {
            String detail = e.getOriginalMessage();
            if (detail != null && detail.length() > 300) {
                detail = detail.substring(0, 300);
            }
            return new Merged.Unreadable<>("request body is not valid JSON for this resource: " + detail);
        }
    }
}
