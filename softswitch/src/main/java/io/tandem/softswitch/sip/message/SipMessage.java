package io.tandem.softswitch.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable SIP message backed by its wire bytes.
 *
 * <p>The headers every message needs (Via, From, To, Call-ID, CSeq, Max-Forwards) are parsed
 * and validated when the message is created, so a message that exists is well-formed in those
 * and their accessors never fail. Contact, Route, Record-Route and P-Asserted-Identity are
 * parsed on first use; a malformed one reads as absent.
 * Every other header is available raw through {@link #headers()}. {@link #writeTo(ByteSink)}
 * writes the received octets unchanged; changes go through {@link #copy()}, which builds a
 * new message.
 */
public abstract sealed class SipMessage implements SipOctets permits SipRequest, SipResponse {
    private static final List<Address> NO_ADDRESSES = List.of();

    final byte[] buf;
    final int off;
    final int end;
    final SipHeaders headers;
    final int bodyOff;
    final int bodyLen;

    private final List<Via> vias;
    private final Address from;
    private final Address to;
    private final String callId;
    private final CSeq cseq;
    private final int maxForwards;
    private List<Address> contacts;
    private List<Address> routes;
    private List<Address> recordRoutes;
    private List<Address> assertedIdentities;

    SipMessage(byte[] buf, int off, int end, SipHeaders headers, int bodyOff, int bodyLen) {
        this.buf = buf;
        this.off = off;
        this.end = end;
        this.headers = headers;
        this.bodyOff = bodyOff;
        this.bodyLen = bodyLen;

        List<Via> v = new ArrayList<>(2);
        int cidCount = 0;
        int cseqCount = 0;
        int fromCount = 0;
        int toCount = 0;
        int mfCount = 0;
        Address f = null;
        Address t = null;
        String cid = null;
        CSeq cs = null;
        int mf = -1;
        for (int i = 0, n = headers.size(); i < n; i++) {
            HeaderName h = HeaderName.byId(headers.id(i));
            if (h == null) {
                continue;
            }
            switch (h) {
                case VIA -> Via.parseList(headers.reader(i), v);
                case FROM -> {
                    fromCount++;
                    f = Address.parseSingle(headers.reader(i));
                }
                case TO -> {
                    toCount++;
                    t = Address.parseSingle(headers.reader(i));
                }
                case CALL_ID -> {
                    cidCount++;
                    cid = headers.value(i);
                    if (cid.isEmpty() || cid.indexOf(' ') >= 0 || cid.indexOf('\t') >= 0) {
                        throw new SipSyntaxException("malformed Call-ID");
                    }
                }
                case CSEQ -> {
                    cseqCount++;
                    cs = CSeq.parse(headers.reader(i));
                }
                case MAX_FORWARDS -> {
                    mfCount++;
                    mf = parseMaxForwards(headers.reader(i));
                }
                default -> {
                }
            }
        }
        if (v.isEmpty()) {
            throw new SipSyntaxException("missing Via");
        }
        requireOne(fromCount, "From");
        requireOne(toCount, "To");
        requireOne(cidCount, "Call-ID");
        requireOne(cseqCount, "CSeq");
        if (mfCount > 1) {
            throw new SipSyntaxException("more than one Max-Forwards");
        }
        this.vias = v.size() == 1 ? List.of(v.get(0)) : List.copyOf(v);
        this.from = f;
        this.to = t;
        this.callId = cid;
        this.cseq = cs;
        this.maxForwards = mf;
    }

    private static void requireOne(int count, String name) {
        if (count == 0) {
            throw new SipSyntaxException("missing " + name);
        }
        if (count > 1) {
            throw new SipSyntaxException("more than one " + name);
        }
    }

    private static int parseMaxForwards(HeaderReader r) {
        r.skipLws();
        int n = 0;
        int digits = 0;
        while (!r.atEnd() && r.peek() >= '0' && r.peek() <= '9') {
            n = n * 10 + (r.peek() - '0');
            if (++digits > 10 || n > 255) {
                throw new SipSyntaxException(n > 255 ? "Max-Forwards above 255" : "malformed Max-Forwards");
            }
            r.pos(r.pos() + 1);
        }
        r.skipLws();
        if (digits == 0 || !r.atEnd()) {
            throw new SipSyntaxException("malformed Max-Forwards");
        }
        return n;
    }

    public SipHeaders headers() {
        return headers;
    }

    /** All Via values, top first. */
    public List<Via> vias() {
        return vias;
    }

    public Via topVia() {
        return vias.get(0);
    }

    public Address from() {
        return from;
    }

    public Address to() {
        return to;
    }

    public String callId() {
        return callId;
    }

    public CSeq cseq() {
        return cseq;
    }

    /** Max-Forwards, or -1 when absent (RFC 2543 peers). */
    public int maxForwards() {
        return maxForwards;
    }

    /** Contact values in order; empty when absent or malformed (see {@link #addresses}). */
    public List<Address> contacts() {
        List<Address> a = contacts;
        if (a == null) {
            a = addresses(HeaderName.CONTACT);
            contacts = a;
        }
        return a;
    }

    /** Route values in order; empty when absent or malformed. */
    public List<Address> routes() {
        List<Address> a = routes;
        if (a == null) {
            a = addresses(HeaderName.ROUTE);
            routes = a;
        }
        return a;
    }

    /** Record-Route values in order; empty when absent or malformed. */
    public List<Address> recordRoutes() {
        List<Address> a = recordRoutes;
        if (a == null) {
            a = addresses(HeaderName.RECORD_ROUTE);
            recordRoutes = a;
        }
        return a;
    }

    /** P-Asserted-Identity values; empty when absent or malformed. */
    public List<Address> assertedIdentities() {
        List<Address> a = assertedIdentities;
        if (a == null) {
            a = addresses(HeaderName.P_ASSERTED_IDENTITY);
            assertedIdentities = a;
        }
        return a;
    }

    /**
     * All values of an address-list header, parsed on first use (most messages are relayed or
     * answered without anyone reading them). A malformed list reads as absent: the switch then
     * behaves as for a missing header (no remote target, no asserted identity, no route set)
     * instead of failing late; {@link #hasMalformed(HeaderName)} tells the two apart.
     */
    private List<Address> addresses(HeaderName name) {
        int i = headers.indexOf(name, 0);
        if (i < 0) {
            return NO_ADDRESSES;
        }
        List<Address> out = new ArrayList<>(2);
        try {
            for (; i >= 0; i = headers.indexOf(name, i + 1)) {
                Address.parseList(headers.reader(i), out, name == HeaderName.CONTACT);
            }
        } catch (SipSyntaxException e) {
            return NO_ADDRESSES;
        }
        return List.copyOf(out);
    }

    /** Whether the header is present but its addresses do not parse. */
    public boolean hasMalformed(HeaderName name) {
        List<Address> parsed = switch (name) {
            case CONTACT -> contacts();
            case ROUTE -> routes();
            case RECORD_ROUTE -> recordRoutes();
            case P_ASSERTED_IDENTITY -> assertedIdentities();
            default -> throw new IllegalArgumentException(name + " is not an address list");
        };
        return parsed.isEmpty() && headers.contains(name);
    }

    /** First value of a header by name, long or compact form; {@code null} if absent. */
    public String header(String name) {
        return headers.first(name);
    }

    public String header(HeaderName name) {
        return headers.first(name);
    }

    public String contentType() {
        return headers.first(HeaderName.CONTENT_TYPE);
    }

    public int bodyLength() {
        return bodyLen;
    }

    public byte[] body() {
        return Arrays.copyOfRange(buf, bodyOff, bodyOff + bodyLen);
    }

    public String bodyAsString() {
        return new String(buf, bodyOff, bodyLen, StandardCharsets.UTF_8);
    }

    /** Octets of the whole message on the wire. */
    @Override
    public int encodedLength() {
        return end - off;
    }

    /** Writes the message as it is on the wire: received octets unchanged. */
    @Override
    public void writeTo(ByteSink sink) {
        sink.write(buf, off, end - off);
    }

    public byte[] toBytes() {
        return Arrays.copyOfRange(buf, off, end);
    }

    @Override
    public byte[] wireOctets() {
        return off == 0 && end == buf.length ? buf : toBytes();
    }

    public abstract boolean isRequest();

    /** A builder starting from this message's start line, headers (raw) and body. */
    public abstract Builder<?> copy();

    void copyHeadersAndBodyInto(Builder<?> b) {
        for (int i = 0; i < headers.size(); i++) {
            b.entries.add(Builder.Entry.raw(headers, i));
        }
        b.body = bodyLen == 0 ? Builder.NO_BODY : body();
    }

    int startLineEnd() {
        return headers.size() > 0 ? headers.lineStart(0) : bodyOff - 2;
    }

    @Override
    public String toString() {
        return new String(buf, off, end - off, StandardCharsets.UTF_8);
    }

    /**
     * Builds a message by writing its wire form, recording as it writes what a parse of it would
     * find ({@link MessageAssembler}), so a built message obeys exactly the rules of a received
     * one. {@code Content-Length} is always written last from the body.
     */
    public abstract static sealed class Builder<B extends Builder<B>> permits SipRequest.Builder,
        SipResponse.Builder {
        static final byte[] NO_BODY = new byte[0];

        final List<Entry> entries = new ArrayList<>(16);
        byte[] body = NO_BODY;

        abstract B self();

        /** Replaces every value of the header with one value, at the place of the first. */
        public B header(HeaderName name, String value) {
            return header(name.canonical(), value);
        }

        public B header(String name, String value) {
            int at = -1;
            HeaderName known = HeaderName.lookup(name);
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (entries.get(i).is(known, name)) {
                    entries.remove(i);
                    at = i;
                }
            }
            Entry e = Entry.of(name, value);
            if (at < 0) {
                entries.add(e);
            } else {
                entries.add(at, e);
            }
            return self();
        }

        /** Appends a header line after all others. */
        public B addHeader(HeaderName name, String value) {
            return addHeader(name.canonical(), value);
        }

        public B addHeader(String name, String value) {
            entries.add(Entry.of(name, value));
            return self();
        }

        /** Puts a header line before the first line of the same header, or first of all (Via, Record-Route). */
        public B pushHeader(HeaderName name, String value) {
            int at = 0;
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).known == name) {
                    at = i;
                    break;
                }
            }
            entries.add(at, Entry.of(name.canonical(), value));
            return self();
        }

        public B removeHeader(HeaderName name) {
            return removeHeader(name.canonical());
        }

        public B removeHeader(String name) {
            HeaderName known = HeaderName.lookup(name);
            entries.removeIf(e -> e.is(known, name));
            return self();
        }

        /**
         * Removes the first value of a list header such as Via (RFC 3261 §16.7: a response
         * loses its top Via before it is forwarded). Other values on the same line are kept.
         */
        public B removeFirstValue(HeaderName name) {
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.known == name) {
                    String value = e.value();
                    int comma = firstTopLevelComma(value);
                    if (comma < 0) {
                        entries.remove(i);
                    } else {
                        entries.set(i, Entry.of(name.canonical(), value.substring(comma + 1).strip()));
                    }
                    return self();
                }
            }
            return self();
        }

        /** Replaces the first value of a list header, keeping the other values of its line. */
        public B replaceFirstValue(HeaderName name, String value) {
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.known == name) {
                    String old = e.value();
                    int comma = firstTopLevelComma(old);
                    String line = comma < 0 ? value : value + ", " + old.substring(comma + 1).strip();
                    entries.set(i, Entry.of(name.canonical(), line));
                    return self();
                }
            }
            return pushHeader(name, value);
        }

        public B via(Via via) {
            return pushHeader(HeaderName.VIA, via.toString());
        }

        public B from(Address a) {
            return header(HeaderName.FROM, a.toString());
        }

        public B to(Address a) {
            return header(HeaderName.TO, a.toString());
        }

        public B callId(String id) {
            return header(HeaderName.CALL_ID, id);
        }

        public B cseq(CSeq c) {
            return header(HeaderName.CSEQ, c.toString());
        }

        public B maxForwards(int mf) {
            return header(HeaderName.MAX_FORWARDS, Integer.toString(mf));
        }

        public B contact(Address a) {
            return header(HeaderName.CONTACT, a.toString());
        }

        /** Sets the body and its Content-Type; an empty body removes Content-Type. */
        public B body(String contentType, byte[] content) {
            this.body = content.clone();
            if (content.length == 0) {
                removeHeader(HeaderName.CONTENT_TYPE);
            } else {
                header(HeaderName.CONTENT_TYPE, contentType);
            }
            return self();
        }

        public B noBody() {
            return body("", NO_BODY);
        }

        /**
         * Writes the message and makes it from the positions the writing recorded (see
         * {@link MessageAssembler}): the same message a parse of those octets gives, without the parse.
         */
        SipMessage assemble() {
            String startLine = startLine();
            // exact for ASCII text, so the octets are written once into an array of their size
            int size = startLine.length() + 2 + MessageAssembler.contentLengthAndBodySize(body.length);
            for (Entry e : entries) {
                if (e.known != HeaderName.CONTENT_LENGTH) {
                    size += e.size();
                }
            }
            MessageAssembler out = new MessageAssembler(size, entries.size() + 1);
            out.startLine(startLine);
            for (Entry e : entries) {
                if (e.known != HeaderName.CONTENT_LENGTH) {
                    e.writeTo(out);
                }
            }
            out.contentLengthAndBody(body);
            try {
                return newMessage(out.buffer(), out.size(), out.headers(), out.bodyOff(), out.bodyLen());
            } catch (SipSyntaxException e) {
                throw new IllegalStateException("built message is not valid SIP: " + e.getMessage(), e);
            }
        }

        abstract String startLine();

        abstract SipMessage newMessage(byte[] buf, int end, SipHeaders headers, int bodyOff, int bodyLen);

        static int firstTopLevelComma(String v) {
            boolean quoted = false;
            boolean angle = false;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\\' && quoted) {
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && c == '<') {
                    angle = true;
                } else if (!quoted && c == '>') {
                    angle = false;
                } else if (!quoted && !angle && c == ',') {
                    return i;
                }
            }
            return -1;
        }

        /** One header line: either the raw octets of a received line or a name and value. */
        static final class Entry {
            private final String name;
            final HeaderName known;
            private final String value;
            private final SipHeaders source;
            private final int index;

            private Entry(String name, HeaderName known, String value, SipHeaders source, int index) {
                this.name = name;
                this.known = known;
                this.value = value;
                this.source = source;
                this.index = index;
            }

            static Entry of(String name, String value) {
                if (name.isEmpty() || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("header " + name + " value must be one line");
                }
                return new Entry(name, HeaderName.lookup(name), value, null, -1);
            }

            static Entry raw(SipHeaders h, int i) {
                return new Entry(null, h.known(i), null, h, i);
            }

            /** Whether this line is the header {@code other}, whose known form is {@code k} (or null). */
            boolean is(HeaderName k, String other) {
                if (k != null) {
                    return k == known;
                }
                return known == null && other.equalsIgnoreCase(name == null ? source.name(index) : name);
            }

            String value() {
                return value != null ? value : source.value(index);
            }

            void writeTo(MessageAssembler out) {
                if (source != null) {
                    out.rawLine(source, index);
                } else {
                    out.line(name, value);
                }
            }

            /** The octets this line takes, CRLF included (exact for ASCII). */
            int size() {
                if (source != null) {
                    return MessageAssembler.rawLineSize(source, index);
                }
                return name.length() + 2 + value.length() + 2;
            }
        }
    }
}
