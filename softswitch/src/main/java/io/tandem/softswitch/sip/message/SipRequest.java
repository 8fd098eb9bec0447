package io.tandem.softswitch.sip.message;

/** An immutable SIP request; see {@link SipMessage}. */
public final class SipRequest extends SipMessage {
    public static final String INVITE = "INVITE";
    public static final String ACK = "ACK";
    public static final String BYE = "BYE";
    public static final String CANCEL = "CANCEL";
    public static final String OPTIONS = "OPTIONS";
    public static final String REGISTER = "REGISTER";
    /** RFC 3428; the cluster's registration events travel in it. */
    public static final String MESSAGE = "MESSAGE";

    private final String method;
    private final SipUri requestUri;

    SipRequest(byte[] buf, int off, int end, SipHeaders headers, int bodyOff, int bodyLen, String method,
               SipUri requestUri) {
        super(buf, off, end, headers, bodyOff, bodyLen);
        this.method = method;
        this.requestUri = requestUri;
        if (!cseq().method().equals(method)) {
            throw new SipSyntaxException("CSeq method " + cseq().method() + " does not match " + method);
        }
    }

    /** The method; case-sensitive as RFC 3261 §7.1 says. */
    public String method() {
        return method;
    }

    public SipUri requestUri() {
        return requestUri;
    }

    public boolean isInvite() {
        return INVITE.equals(method);
    }

    public boolean isAck() {
        return ACK.equals(method);
    }

    @Override
    public boolean isRequest() {
        return true;
    }

    /**
     * A response to this request per RFC 3261 §8.2.6.2: Via, From, To, Call-ID and CSeq copied
     * octet for octet, no body. Add the To tag with {@link SipResponse.Builder#toTag(String)}.
     */
    public SipResponse.Builder createResponse(int status, String reason) {
        SipResponse.Builder b = SipResponse.builder(status, reason);
        SipHeaders h = headers();
        for (int i = 0; i < h.size(); i++) {
            HeaderName k = h.known(i);
            if (k == HeaderName.VIA || k == HeaderName.FROM || k == HeaderName.TO || k == HeaderName.CALL_ID
                || k == HeaderName.CSEQ) {
                b.entries.add(Builder.Entry.raw(h, i));
            }
        }
        return b;
    }

    public SipResponse.Builder createResponse(int status) {
        return createResponse(status, SipResponse.reasonPhrase(status));
    }

    @Override
    public Builder copy() {
        Builder b = new Builder(method, requestUri);
        copyHeadersAndBodyInto(b);
        return b;
    }

    public static Builder builder(String method, SipUri requestUri) {
        return new Builder(method, requestUri);
    }

    /** Builds requests; see {@link SipMessage.Builder}. */
    public static final class Builder extends SipMessage.Builder<Builder> {
        private String method;
        private SipUri requestUri;

        Builder(String method, SipUri requestUri) {
            this.method = method;
            this.requestUri = requestUri;
        }

        public Builder method(String m) {
            this.method = m;
            return this;
        }

        public Builder requestUri(SipUri uri) {
            this.requestUri = uri;
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        String startLine() {
            if (method.isEmpty() || !HeaderReader.isToken(method)) {
                throw new IllegalStateException("built message is not valid SIP: method " + method + " is not a token");
            }
            String uri = requestUri.raw();
            if (uri.isEmpty() || uri.indexOf(' ') >= 0 || uri.indexOf('\t') >= 0) {
                throw new IllegalStateException("built message is not valid SIP: malformed request line");
            }
            return method + ' ' + uri + " SIP/2.0";
        }

        @Override
        SipMessage newMessage(byte[] buf, int end, SipHeaders headers, int bodyOff, int bodyLen) {
            return new SipRequest(buf, 0, end, headers, bodyOff, bodyLen, method, requestUri);
        }

        public SipRequest build() {
            return (SipRequest) assemble();
        }
    }
}
