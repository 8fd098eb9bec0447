package io.tandem.softswitch.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header fields the switch looks at, with their RFC 3261 §7.3.3 compact forms.
 *
 * <p>Recognising a name is done once per header line while parsing, on the raw bytes and
 * without allocating, so typed lookups later are a scan over a small byte array instead of
 * repeated case-insensitive string compares. Any other header stays accessible by name.
 */
public enum HeaderName {
    VIA("Via", 'v'),
    FROM("From", 'f'),
    TO("To", 't'),
    CALL_ID("Call-ID", 'i'),
    CSEQ("CSeq"),
    CONTACT("Contact", 'm'),
    MAX_FORWARDS("Max-Forwards"),
    ROUTE("Route"),
    RECORD_ROUTE("Record-Route"),
    CONTENT_TYPE("Content-Type", 'c'),
    CONTENT_LENGTH("Content-Length", 'l'),
    CONTENT_ENCODING("Content-Encoding", 'e'),
    SUBJECT("Subject", 's'),
    SUPPORTED("Supported", 'k'),
    REQUIRE("Require"),
    PROXY_REQUIRE("Proxy-Require"),
    UNSUPPORTED("Unsupported"),
    ALLOW("Allow"),
    ACCEPT("Accept"),
    AUTHORIZATION("Authorization"),
    PROXY_AUTHORIZATION("Proxy-Authorization"),
    WWW_AUTHENTICATE("WWW-Authenticate"),
    PROXY_AUTHENTICATE("Proxy-Authenticate"),
    REASON("Reason"),
    SESSION_EXPIRES("Session-Expires", 'x'),
    MIN_SE("Min-SE"),
    P_ASSERTED_IDENTITY("P-Asserted-Identity"),
    P_PREFERRED_IDENTITY("P-Preferred-Identity"),
    PRIVACY("Privacy"),
    USER_AGENT("User-Agent"),
    SERVER("Server"),
    WARNING("Warning"),
    RETRY_AFTER("Retry-After"),
    EXPIRES("Expires"),
    REFER_TO("Refer-To", 'r'),
    REFERRED_BY("Referred-By", 'b'),
    EVENT("Event", 'o'),
    ALLOW_EVENTS("Allow-Events", 'u'),
    RSEQ("RSeq"),
    RACK("RAck"),
    DIVERSION("Diversion");

    /** Id stored per header line for names that are not in this enum. */
    static final byte UNKNOWN = -1;

    private static final HeaderName[] VALUES = values();
    /** Candidates bucketed by name length; long names and compact letters share the lookup. */
    private static final byte[][][] BY_LENGTH_NAMES;
    private static final byte[][] BY_LENGTH_IDS;

    static {
        int maxLen = 0;
        for (HeaderName h : VALUES) {
            maxLen = Math.max(maxLen, h.canonical.length());
        }
        List<List<byte[]>> names = new ArrayList<>();
        List<List<Byte>> ids = new ArrayList<>();
        for (int i = 0; i <= maxLen; i++) {
            names.add(new ArrayList<>());
            ids.add(new ArrayList<>());
        }
        for (HeaderName h : VALUES) {
            byte[] lower = h.canonical.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            names.get(lower.length).add(lower);
            ids.get(lower.length).add((byte) h.ordinal());
            if (h.compact != 0) {
                names.get(1).add(new byte[] {(byte) h.compact});
                ids.get(1).add((byte) h.ordinal());
            }
        }
        BY_LENGTH_NAMES = new byte[maxLen + 1][][];
        BY_LENGTH_IDS = new byte[maxLen + 1][];
        for (int i = 0; i <= maxLen; i++) {
            BY_LENGTH_NAMES[i] = names.get(i).toArray(new byte[0][]);
            BY_LENGTH_IDS[i] = new byte[ids.get(i).size()];
            for (int j = 0; j < BY_LENGTH_IDS[i].length; j++) {
                BY_LENGTH_IDS[i][j] = ids.get(i).get(j);
            }
        }
    }

    private final String canonical;
    private final char compact;

    HeaderName(String canonical) {
        this(canonical, (char) 0);
    }

    HeaderName(String canonical, char compact) {
        this.canonical = canonical;
        this.compact = compact;
    }

    /** The long form as written by this stack, e.g. {@code Call-ID}. */
    public String canonical() {
        return canonical;
    }

    /** Whether the header allows several comma-separated values (RFC 3261 §7.3.1). */
    public boolean isList() {
        return switch (this) {
            case VIA, CONTACT, ROUTE, RECORD_ROUTE, SUPPORTED, REQUIRE, PROXY_REQUIRE, UNSUPPORTED, ALLOW,
                 ACCEPT, P_ASSERTED_IDENTITY, WARNING, REASON, ALLOW_EVENTS, PRIVACY -> true;
            default -> false;
        };
    }

    static HeaderName byId(byte id) {
        return id < 0 ? null : VALUES[id];
    }

    /** The header named by the bytes, case-insensitively, long or compact form; {@code null} if none. */
    public static HeaderName lookup(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return byId(lookupId(b, 0, b.length));
    }

    static byte lookupId(byte[] b, int start, int end) {
        int len = end - start;
        if (len <= 0 || len >= BY_LENGTH_NAMES.length) {
            return UNKNOWN;
        }
        int first = b[start] | 0x20;
        byte[][] candidates = BY_LENGTH_NAMES[len];
        outer:
        for (int c = 0; c < candidates.length; c++) {
            byte[] cand = candidates[c];
            if (cand[0] != first) {
                continue;
            }
            for (int i = 1; i < len; i++) {
                int x = b[start + i];
                if (x >= 'A' && x <= 'Z') {
                    x += 32;
                }
                if (x != cand[i]) {
                    continue outer;
                }
            }
            return BY_LENGTH_IDS[len][c];
        }
        return UNKNOWN;
    }
}
