package io.tandem.softswitch.sip.message;

/** An immutable SIP response; see {@link SipMessage}. */
public final class SipResponse extends SipMessage {
    private final int status;
    private final String reasonPhrase;

    SipResponse(byte[] buf, int off, int end, SipHeaders headers, int bodyOff, int bodyLen, int status,
                String reasonPhrase) {
        super(buf, off, end, headers, bodyOff, bodyLen);
        this.status = status;
        this.reasonPhrase = reasonPhrase;
    }

    public int status() {
        return status;
    }

    public String reasonPhrase() {
        return reasonPhrase;
    }

    public boolean isProvisional() {
        return status < 200;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    @Override
    public boolean isRequest() {
        return false;
    }

    @Override
    public Builder copy() {
        Builder b = new Builder(status, reasonPhrase);
        copyHeadersAndBodyInto(b);
        return b;
    }

    public static Builder builder(int status, String reason) {
        return new Builder(status, reason);
    }

    /** The RFC 3261 §21 reason phrase for the codes the switch sends; "Unknown" otherwise. */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 100 -> "Trying";
            case 180 -> "Ringing";
            case 181 -> "Call Is Being Forwarded";
            case 182 -> "Queued";
            case 183 -> "Session Progress";
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 410 -> "Gone";
            case 413 -> "Request Entity Too Large";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Unsupported URI Scheme";
            case 420 -> "Bad Extension";
            case 422 -> "Session Interval Too Small";
            case 423 -> "Interval Too Brief";
            case 480 -> "Temporarily Unavailable";
            case 481 -> "Call/Transaction Does Not Exist";
            case 482 -> "Loop Detected";
            case 483 -> "Too Many Hops";
            case 484 -> "Address Incomplete";
            case 486 -> "Busy Here";
            case 487 -> "Request Terminated";
            case 488 -> "Not Acceptable Here";
            case 491 -> "Request Pending";
            case 500 -> "Server Internal Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Server Time-out";
            case 505 -> "Version Not Supported";
            case 513 -> "Message Too Large";
            case 600 -> "Busy Everywhere";
            case 603 -> "Decline";
            case 604 -> "Does Not Exist Anywhere";
            case 606 -> "Not Acceptable";
            default -> "Unknown";
        };
    }

    /** Builds responses; see {@link SipMessage.Builder}. */
    public static final class Builder extends SipMessage.Builder<Builder> {
        private int status;
        private String reason;

        Builder(int status, String reason) {
            if (status < 100 || status > 699) {
                throw new IllegalArgumentException("status out of range: " + status);
            }
            this.status = status;
            this.reason = reason;
        }

        public Builder status(int s, String r) {
            this.status = s;
            this.reason = r;
            return this;
        }

        /** Adds a tag to To unless it already has one (RFC 3261 §8.2.6.2). */
        public Builder toTag(String tag) {
            for (Entry e : entries) {
                if (e.known == HeaderName.TO) {
                    Address to = Address.parseSingle(e.value());
                    if (to.tag() == null) {
                        header(HeaderName.TO, to.withTag(tag).toString());
                    }
                    return this;
                }
            }
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        String startLine() {
            return "SIP/2.0 " + status + ' ' + reason;
        }

        @Override
        SipMessage newMessage(byte[] buf, int end, SipHeaders headers, int bodyOff, int bodyLen) {
            return new SipResponse(buf, 0, end, headers, bodyOff, bodyLen, status, reason);
        }

        public SipResponse build() {
            return (SipResponse) assemble();
        }
    }
}
