package io.tandem.softswitch.sip.message;

/**
 * The CSeq header (RFC 3261 §20.16).
 *
 * @param sequence below 2^31 as the RFC requires
 * @param method   the request method it belongs to
 */
public record CSeq(long sequence, String method) {

    public static final long MAX_SEQUENCE = (1L << 31) - 1;

    @Override
    public String toString() {
        return sequence + " " + method;
    }

    static CSeq parse(String value) {
        return parse(new HeaderReader(value));
    }

    static CSeq parse(HeaderReader r) {
        r.skipLws();
        byte[] b = r.bytes();
        int end = r.end();
        int p = r.pos();
        int start = p;
        long n = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            n = n * 10 + (b[p] - '0');
            if (n > MAX_SEQUENCE) {
                throw new SipSyntaxException("CSeq number too large");
            }
            p++;
        }
        if (p == start) {
            throw new SipSyntaxException("CSeq without number");
        }
        r.pos(p);
        String method = r.token("CSeq method");
        r.skipLws();
        if (!r.atEnd()) {
            throw new SipSyntaxException("junk after CSeq method");
        }
        return new CSeq(n, method);
    }
}
