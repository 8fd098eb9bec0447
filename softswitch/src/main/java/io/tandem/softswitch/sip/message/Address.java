package io.tandem.softswitch.sip.message;

import java.util.ArrayList;
import java.util.List;

/**
 * A name-addr or addr-spec with header parameters: the value of From, To, Contact, Route,
 * Record-Route, P-Asserted-Identity (RFC 3261 §20.10, §25.1).
 *
 * <p>Parsing is liberal where RFC 4475 asks elements to be (no LWS before {@code <},
 * §3.1.1.6) and strict where a mistake would change meaning: parameters after a bare URI
 * belong to the header, not the URI (§3.3.12).
 *
 * @param displayName the display name without quotes and escapes, {@code null} if none
 * @param uri         the address; {@code null} only for the Contact wildcard {@code *}
 * @param params      header parameters such as {@code tag}, {@code expires}, {@code q}
 */
public record Address(String displayName, SipUri uri, Parameters params) {

    /** The Contact {@code *} of a REGISTER that removes all bindings. */
    public static final Address WILDCARD = new Address(null, null, Parameters.EMPTY);

    public static Address of(SipUri uri) {
        return new Address(null, uri, Parameters.EMPTY);
    }

    public String tag() {
        return params.get("tag");
    }

    public Address withTag(String tag) {
        return new Address(displayName, uri, params.with("tag", tag));
    }

    public Address withParam(String name, String value) {
        return new Address(displayName, uri, params.with(name, value));
    }

    public boolean isWildcard() {
        return uri == null;
    }

    /** Always in name-addr form, so URI parameters and header parameters cannot be confused. */
    @Override
    public String toString() {
        if (uri == null) {
            return "*";
        }
        StringBuilder sb = new StringBuilder(64);
        if (displayName != null) {
            sb.append('"');
            for (int i = 0; i < displayName.length(); i++) {
                char c = displayName.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append("\" ");
        }
        sb.append('<').append(uri.raw()).append('>');
        params.appendTo(sb);
        return sb.toString();
    }

    /** Parses a single address: the whole value must be one name-addr or addr-spec. */
    public static Address parse(String value) {
        try {
            return parseSingle(value);
        } catch (SipSyntaxException e) {
            throw new IllegalArgumentException(e.getMessage() + ": " + value);
        }
    }

    static Address parseSingle(String value) {
        return parseSingle(new HeaderReader(value));
    }

    static Address parseSingle(HeaderReader r) {
        Address a = parseOne(r, false);
        r.skipLws();
        if (!r.atEnd()) {
            throw new SipSyntaxException("junk after address");
        }
        return a;
    }

    static void parseList(String value, List<Address> out, boolean allowWildcard) {
        parseList(new HeaderReader(value), out, allowWildcard);
    }

    static void parseList(HeaderReader r, List<Address> out, boolean allowWildcard) {
        r.skipLws();
        if (allowWildcard && r.peek() == '*') {
            r.pos(r.pos() + 1);
            r.skipLws();
            if (!r.atEnd()) {
                throw new SipSyntaxException("junk after Contact *");
            }
            out.add(WILDCARD);
            return;
        }
        do {
            out.add(parseOne(r, true));
        } while (r.accept(','));
        r.skipLws();
        if (!r.atEnd()) {
            throw new SipSyntaxException("junk after address");
        }
    }

    static List<Address> parseList(String value, boolean allowWildcard) {
        List<Address> out = new ArrayList<>(1);
        parseList(value, out, allowWildcard);
        return out;
    }

    private static Address parseOne(HeaderReader r, boolean list) {
        r.skipLws();
        byte[] b = r.bytes();
        int end = r.end();
        int p = r.pos();
        if (r.peek() == '"') {
            String display = r.quotedString("display name");
            r.expect('<', "name-addr");
            return nameAddrRest(r, display);
        }
        if (r.peek() == '<') {
            r.pos(p + 1);
            return nameAddrRest(r, null);
        }
        int lt = -1;
        for (int i = p; i < end; i++) {
            byte c = b[i];
            if (c == '<') {
                lt = i;
                break;
            }
            if (c == ';' || c == '"' || list && c == ',') {
                break;
            }
        }
        if (lt >= 0) {
            for (int i = p; i < lt; i++) {
                byte c = b[i];
                if (!HeaderReader.isTokenByte(c) && c != ' ' && c != '\t') {
                    throw new SipSyntaxException("display name needs quotes");
                }
            }
            int ds = p;
            int de = lt;
            while (ds < de && (b[ds] == ' ' || b[ds] == '\t')) {
                ds++;
            }
            while (de > ds && (b[de - 1] == ' ' || b[de - 1] == '\t')) {
                de--;
            }
            String display = ds == de ? null : r.str(ds, de);
            r.pos(lt + 1);
            return nameAddrRest(r, display);
        }
        int e = p;
        while (e < end) {
            byte c = b[e];
            if (c == ';' || c == ' ' || c == '\t' || list && c == ',') {
                break;
            }
            e++;
        }
        if (e == p) {
            throw new SipSyntaxException("missing address");
        }
        SipUri uri = SipUri.parse(b, p, e);
        if (uri.headers() != null) {
            throw new SipSyntaxException("URI with headers must be in <>");
        }
        r.pos(e);
        return new Address(null, uri, r.params("address"));
    }

    private static Address nameAddrRest(HeaderReader r, String display) {
        int start = r.pos();
        int gt = r.indexOf('>', start);
        if (gt < 0) {
            throw new SipSyntaxException("missing '>'");
        }
        SipUri uri = SipUri.parse(r.bytes(), start, gt);
        r.pos(gt + 1);
        return new Address(display, uri, r.params("address"));
    }
}
