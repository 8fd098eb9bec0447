package io.tandem.softswitch.sip.message;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An Authorization or Proxy-Authorization value (RFC 3261 §20.7, §25.1): a scheme and its
 * comma-separated parameters, e.g. {@code Digest username="alice", realm="tandem", ...}.
 *
 * @param scheme the scheme as written, e.g. {@code Digest}
 * @param params parameter names in lower case, values without quotes and escapes
 */
public record Credentials(String scheme, Map<String, String> params) {

    public Credentials {
        params = Map.copyOf(params);
    }

    /** A parameter by case-insensitive name, {@code null} if absent. */
    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean isDigest() {
        return scheme.equalsIgnoreCase("Digest");
    }

    /** The credentials in a header value; empty when it is not well-formed. */
    public static Optional<Credentials> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            HeaderReader r = new HeaderReader(value);
            String scheme = r.token("auth scheme");
            Map<String, String> params = new LinkedHashMap<>();
            r.skipLws();
            if (!r.atEnd()) {
                do {
                    String name = r.token("auth parameter").toLowerCase(Locale.ROOT);
                    r.expect('=', "auth parameter");
                    r.skipLws();
                    String v = r.peek() == '"' ? r.quotedString("auth value") : r.paramValue(name);
                    params.putIfAbsent(name, v);
                } while (r.accept(','));
            }
            r.skipLws();
            if (!r.atEnd()) {
                return Optional.empty();
            }
            return Optional.of(new Credentials(scheme, params));
        } catch (SipSyntaxException e) {
            return Optional.empty();
        }
    }
}
