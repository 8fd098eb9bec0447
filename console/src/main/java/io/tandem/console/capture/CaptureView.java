package io.tandem.console.capture;

import io.tandem.softswitch.capture.CallCapture;
import io.tandem.softswitch.capture.CaptureLeg;
import io.tandem.softswitch.sip.transport.WireMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A call's capture as the API and the ladder show it: the parties (columns: customer, this switch,
 * one per vendor attempt) and every message as an arrow between two of them, with its full text.
 *
 * @param dropped messages the caps left out (the oldest)
 * @param live    the call is still in progress (or just ended and collecting late retransmissions)
 */
public record CaptureView(UUID callId, boolean live, int dropped, List<Party> parties, List<Message> messages) {

    /** Longest arrow label; a reason phrase is the peer's text and may be anything. */
    public static final int MAX_LABEL = 48;

    /** A column of the ladder: {@code customer}, {@code switch} or {@code attempt-N}. */
    public record Party(String key, String label, String address) {
    }

    /**
     * @param offsetMillis time since the call's first captured message
     * @param from         party key the message came from
     * @param to           party key it went to
     * @param label        method, or status and reason, with the CSeq method of an answer
     */
    public record Message(int number, Instant at, long offsetMillis, String from, String to, String direction, String transport,
                          String local, String remote, String sipCallId, String label, String text) {
    }

    public static CaptureView of(CallCapture capture) {
        Map<String, Party> parties = new LinkedHashMap<>();
        List<Message> messages = new ArrayList<>(capture.messages().size());
        long first = capture.messages().isEmpty() ? 0 : capture.messages().getFirst().epochMicros();
        int number = 0;
        for (WireMessage m : capture.messages()) {
            CaptureLeg leg = capture.legOf(m);
            String peerKey = leg == null || leg.customer() ? "customer" : "attempt-" + leg.attempt();
            parties.computeIfAbsent("switch", k -> new Party(k, "Switch", address(m.local())));
            parties.computeIfAbsent(peerKey, k -> new Party(k, leg == null || leg.customer() ? "Customer"
                    : "Vendor attempt " + leg.attempt() + " (gateway " + leg.gatewayId() + ")", address(m.remote())));
            boolean in = m.direction() == WireMessage.Direction.IN;
            String text = new String(m.octets(), StandardCharsets.UTF_8);
            messages.add(new Message(++number, Instant.ofEpochSecond(m.epochMicros() / 1_000_000, m.epochMicros() % 1_000_000 * 1_000),
                    (m.epochMicros() - first) / 1_000, in ? peerKey : "switch", in ? "switch" : peerKey, m.direction().name(),
                    m.transport().name(), address(m.local()), address(m.remote()), m.sipCallId(), label(text), text));
        }
        List<Party> ordered = new ArrayList<>(parties.size());
        for (String key : List.of("customer", "switch")) {
            if (parties.containsKey(key)) {
                ordered.add(parties.remove(key));
            }
        }
        parties.values().stream().sorted(java.util.Comparator.comparing(Party::key)).forEach(ordered::add);
        return new CaptureView(capture.callId(), capture.live(), capture.dropped(), ordered, messages);
    }

    private static String address(InetSocketAddress a) {
        return a == null ? "" : a.getAddress() == null ? a.getHostString() + ":" + a.getPort()
                : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** {@code INVITE}, or {@code 200 OK (INVITE)}: the start line's method or status, and an answer's CSeq method. */
    static String label(String text) {
        int eol = text.indexOf('\r');
        String startLine = eol < 0 ? text : text.substring(0, eol);
        String label;
        if (startLine.startsWith("SIP/2.0 ")) {
            label = startLine.substring("SIP/2.0 ".length());
            String cseq = header(text, "CSeq");
            if (cseq != null) {
                String[] parts = cseq.trim().split("\\s+");
                if (parts.length == 2) {
                    label = label + " (" + parts[1] + ")";
                }
            }
        } else {
            int space = startLine.indexOf(' ');
            label = space < 0 ? startLine : startLine.substring(0, space);
        }
        return label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL - 1) + "…" : label;
    }

    private static String header(String text, String name) {
        for (String line : text.split("\r\n")) {
            if (line.isEmpty()) {
                return null;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1);
            }
        }
        return null;
    }
}
