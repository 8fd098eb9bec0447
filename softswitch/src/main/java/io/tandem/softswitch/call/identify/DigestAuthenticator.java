package io.tandem.softswitch.call.identify;

import io.tandem.routing.provisioning.DigestHashes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SIP digest authentication (RFC 3261 §22, RFC 7616) against stored HA1 hashes, MD5 and SHA-256,
 * {@code qop=auth}. Nonces are stateless: a timestamp signed with a per-node HMAC key, so any
 * number of challenges costs no memory; an expired nonce with the right password answers
 * {@code stale=true} so the client retries without asking the user.
 */
public final class DigestAuthenticator {

    private final String realm;
    private final Duration nonceLifetime;
    private final Clock clock;
    private final SecretKeySpec key;

    public DigestAuthenticator(String realm, Duration nonceLifetime, Clock clock) {
        this.realm = realm;
        this.nonceLifetime = nonceLifetime;
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** The outcome of checking an {@code Authorization}/{@code Proxy-Authorization} header. */
    public sealed interface Verdict {
        record Valid(String username) implements Verdict {
        }

        /** Right password, expired nonce: challenge again with {@code stale=true}. */
        record Stale(String username) implements Verdict {
        }

        record Invalid(String username, String why) implements Verdict {
        }
    }

    /**
     * {@code Proxy-Authenticate} header values: one MD5 and one SHA-256 challenge. MD5 comes first
     * because many carrier switches (and sipp) answer only the first challenge and know only MD5;
     * clients that support SHA-256 pick it from the second header (RFC 8760).
     */
    public String[] challenges(boolean stale) {
        String nonce = newNonce();
        String suffix = ", qop=\"auth\"" + (stale ? ", stale=true" : "");
        return new String[] {
                "Digest realm=\"" + realm + "\", nonce=\"" + nonce + "\", algorithm=MD5" + suffix,
                "Digest realm=\"" + realm + "\", nonce=\"" + nonce + "\", algorithm=SHA-256" + suffix
        };
    }

    public String realm() {
        return realm;
    }

    /** The username in a credentials header, if it parses. */
    public static Optional<String> username(String authorization) {
        return Optional.ofNullable(parse(authorization).get("username"));
    }

    /**
     * @param method   the request method (INVITE)
     * @param ha1Md5   stored H(user:realm:password) with MD5
     * @param ha1Sha256 stored H(user:realm:password) with SHA-256
     */
    public Verdict verify(String authorization, String method, String ha1Md5, String ha1Sha256) {
        Map<String, String> p = parse(authorization);
        String username = p.get("username");
        String nonce = p.get("nonce");
        String uri = p.get("uri");
        String response = p.get("response");
        if (username == null || nonce == null || uri == null || response == null) {
            return new Verdict.Invalid(username, "incomplete credentials");
        }
        if (!realm.equals(p.get("realm"))) {
            return new Verdict.Invalid(username, "wrong realm");
        }
        String algorithm = p.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
        String digest;
        String ha1;
        switch (algorithm) {
            case "MD5" -> {
                digest = "MD5";
                ha1 = ha1Md5;
            }
            case "SHA-256" -> {
                digest = "SHA-256";
                ha1 = ha1Sha256;
            }
            default -> {
                return new Verdict.Invalid(username, "unsupported algorithm " + algorithm);
            }
        }
        String ha2 = DigestHashes.hex(digest, method + ":" + uri);
        String qop = p.get("qop");
        String expected = qop == null
                ? DigestHashes.hex(digest, ha1 + ":" + nonce + ":" + ha2)
                : DigestHashes.hex(digest, ha1 + ":" + nonce + ":" + p.getOrDefault("nc", "") + ":" + p.getOrDefault("cnonce", "") + ":" + qop + ":" + ha2);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return new Verdict.Invalid(username, "wrong password");
        }
        return switch (nonceState(nonce)) {
            case VALID -> new Verdict.Valid(username);
            case EXPIRED -> new Verdict.Stale(username);
            case FORGED -> new Verdict.Invalid(username, "nonce not issued by this node");
        };
    }

    private enum NonceState { VALID, EXPIRED, FORGED }

    private String newNonce() {
        ByteBuffer buffer = ByteBuffer.allocate(8 + 16);
        buffer.putLong(clock.millis());
        buffer.put(mac(buffer.array(), 8), 0, 16);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    private NonceState nonceState(String nonce) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return NonceState.FORGED;
        }
        if (raw.length != 24) {
            return NonceState.FORGED;
        }
        byte[] expected = mac(raw, 8);
        if (!MessageDigest.isEqual(java.util.Arrays.copyOfRange(expected, 0, 16), java.util.Arrays.copyOfRange(raw, 8, 24))) {
            return NonceState.FORGED;
        }
        long issued = ByteBuffer.wrap(raw, 0, 8).getLong();
        return clock.millis() - issued > nonceLifetime.toMillis() ? NonceState.EXPIRED : NonceState.VALID;
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("JDK without HmacSHA256", e);
        }
    }


    /** Parses {@code Digest a="b", c=d} into a map (quoted or token values). */
    static Map<String, String> parse(String header) {
        Map<String, String> params = new HashMap<>();
        if (header == null) {
            return params;
        }
        String text = header.trim();
        if (text.regionMatches(true, 0, "Digest", 0, 6)) {
            text = text.substring(6);
        }
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == ',' || text.charAt(i) == '\t')) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            String value;
            if (i < n && text.charAt(i) == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    break;
                }
                value = text.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = text.indexOf(',', i);
                if (end < 0) {
                    end = n;
                }
                value = text.substring(i, end).trim();
                i = end;
            }
            params.put(name, value);
        }
        return params;
    }
}
