package io.tandem.softswitch.registrar;

import io.tandem.softswitch.sip.protection.AddressBlocks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of {@code application/x-tandem-cluster-event} (docs/registrations.md has an example):
 * <pre>
 * {"v":1,"node":"node-a","seq":1893456000000000001,"sentAt":1765000000123456,
 *  "event":{"kind":"register","aor":"alice","trunkId":3,"contact":"sip:alice@192.0.2.7:5062",
 *           "sourceIp":"192.0.2.7","sourcePort":5062,"transport":"UDP","expiresAt":1765003600123,
 *           "callId":"a84b4c76e66710","cseq":7,"version":1765000000123000,"holder":"node-a","q":1000}}
 * </pre>
 * Decoding checks every field (presence, type, length, IP literal only: nothing here triggers DNS) and
 * says which one is wrong. Thread-safe.
 */
public final class ClusterEventCodec {

    /** The largest body accepted; an event is about 400 octets. */
    public static final int MAX_BODY = 4096;

    private final JsonMapper json = JsonMapper.builder().build();

    /** A body that is not a valid event, with the reason for the 400. */
    public static final class MalformedEvent extends Exception {
        public MalformedEvent(String message) {
            super(message);
        }
    }

    public byte[] encode(ClusterEnvelope envelope) {
        ObjectNode root = json.createObjectNode();
        root.put("v", ClusterEnvelope.VERSION);
        root.put("node", envelope.node());
        root.put("seq", envelope.seq());
        root.put("sentAt", envelope.sentAtMicros());
        root.set("event", eventNode(envelope.event()));
        return json.writeValueAsBytes(root);
    }

    /** A list of events, as a node answers a peer's resync pull. */
    public byte[] encodeAll(List<ClusterEvent> events) {
        ArrayNode array = json.createArrayNode();
        events.forEach(event -> array.add(eventNode(event)));
        return json.writeValueAsBytes(array);
    }

    public ClusterEnvelope decode(byte[] body) throws MalformedEvent {
        if (body.length > MAX_BODY) {
            throw new MalformedEvent("body longer than " + MAX_BODY + " octets");
        }
        JsonNode root = read(body);
        if (!root.isObject()) {
            throw new MalformedEvent("not a JSON object");
        }
        if (root.path("v").asInt(-1) != ClusterEnvelope.VERSION) {
            throw new MalformedEvent("unsupported version " + root.path("v"));
        }
        return new ClusterEnvelope(text(root, "node", 64), number(root, "seq"), number(root, "sentAt"), event(root.path("event")));
    }

    /** @param maxEvents refuse more than this many (a peer's whole table at most) */
    public List<ClusterEvent> decodeAll(byte[] body, int maxEvents) throws MalformedEvent {
        JsonNode root = read(body);
        if (!root.isArray()) {
            throw new MalformedEvent("not a JSON array");
        }
        if (root.size() > maxEvents) {
            throw new MalformedEvent("more than " + maxEvents + " events");
        }
        List<ClusterEvent> events = new ArrayList<>(root.size());
        for (JsonNode node : root) {
            events.add(event(node));
        }
        return events;
    }

    private JsonNode read(byte[] body) throws MalformedEvent {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw new MalformedEvent("not JSON: " + e.getOriginalMessage());
        }
    }

    private ObjectNode eventNode(ClusterEvent event) {
        Binding b = event.binding();
        ObjectNode node = json.createObjectNode();
        node.put("kind", event.kind().wireName());
        node.put("aor", b.aor());
        node.put("trunkId", b.trunkId());
        node.put("contact", b.contact());
        node.put("sourceIp", b.source().getAddress().getHostAddress());
        node.put("sourcePort", b.source().getPort());
        node.put("transport", b.transport());
        node.put("expiresAt", b.expiresAtMillis());
        node.put("callId", b.callId());
        node.put("cseq", b.cseq());
        node.put("version", b.version());
        node.put("holder", b.node());
        node.put("q", b.q());
        return node;
    }

    private static ClusterEvent event(JsonNode node) throws MalformedEvent {
        if (!node.isObject()) {
            throw new MalformedEvent("event: not a JSON object");
        }
        ClusterEvent.Kind kind;
        try {
            kind = ClusterEvent.Kind.valueOf(text(node, "kind", 16).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MalformedEvent("kind: not register, refresh, unregister or expire");
        }
        InetAddress ip = AddressBlocks.literal(text(node, "sourceIp", 45));
        if (ip == null) {
            throw new MalformedEvent("sourceIp: not an IP literal");
        }
        long port = number(node, "sourcePort");
        if (port < 1 || port > 65535) {
            throw new MalformedEvent("sourcePort: out of range");
        }
        String transport = text(node, "transport", 3).toUpperCase(Locale.ROOT);
        if (!List.of("UDP", "TCP", "TLS").contains(transport)) {
            throw new MalformedEvent("transport: not UDP, TCP or TLS");
        }
        Binding binding = new Binding(text(node, "aor", RegistrarSettings.MAX_AOR), number(node, "trunkId"),
                text(node, "contact", RegistrarSettings.MAX_CONTACT), new InetSocketAddress(ip, (int) port), transport,
                number(node, "expiresAt"), text(node, "callId", RegistrarSettings.MAX_CALL_ID), number(node, "cseq"),
                number(node, "version"), text(node, "holder", 64), q(node));
        return new ClusterEvent(kind, binding);
    }

    /** The contact's q in thousandths; a peer of an earlier version sends none (then 1000). */
    private static int q(JsonNode node) throws MalformedEvent {
        if (node.path("q").isMissingNode()) {
            return Binding.DEFAULT_Q;
        }
        long q = number(node, "q");
        if (q < 0 || q > Binding.DEFAULT_Q) {
            throw new MalformedEvent("q: not between 0 and 1000");
        }
        return (int) q;
    }

    private static String text(JsonNode node, String field, int maxLength) throws MalformedEvent {
        JsonNode value = node.path(field);
        if (!value.isString() || value.stringValue().isEmpty()) {
            throw new MalformedEvent(field + ": missing or not a string");
        }
        if (value.stringValue().length() > maxLength) {
            throw new MalformedEvent(field + ": longer than " + maxLength);
        }
        return value.stringValue();
    }

    private static long number(JsonNode node, String field) throws MalformedEvent {
        JsonNode value = node.path(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MalformedEvent(field + ": missing or not an integer");
        }
        return value.longValue();
    }
}
