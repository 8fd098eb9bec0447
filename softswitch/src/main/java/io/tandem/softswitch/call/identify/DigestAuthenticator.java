package io.tandem.softswitch.call.identify;

import io.tandem.routing.provisioning.DigestHashes;
import io.tandem.softswitch.sip.message.SipUri;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SIP digest authentication (RFC 3261 §22, RFC 7616, RFC 8760) against stored HA1 hashes, MD5 and
 * SHA-256, {@code qop=auth} required.
 *
 * <p>A nonce is the time it was issued, 8 random octets and an HMAC (per-node key) over both and
 * the address it was sent to: it costs no memory to hand out, and it proves, when it comes back,
 * that this node sent it to that address. Credentials are bound to their request: the digest
 * {@code uri} must be the Request-URI, and each nonce's count ({@code nc}) must grow, so a
 * sniffed INVITE cannot be replayed, nor its credentials reused for another number. The counts
 * of nonces answered correctly are kept in {@link NonceCounts} (bounded).
 *
 * <pre>
 * nonce in the credentials                          verdict
 * not ours / not sent to this source / expired       Stale: challenge again with stale=true (no guess counted)
 * ours, nc not above the last one seen (replay)      Stale
 * ours, uri is not the Request-URI, no qop=auth,     Failed: a guess against a challenge this source received
 *   wrong response
 * ours, right response with MD5, trunk refuses MD5   Stale, challenge again offering SHA-256 only (RFC 8760)
 * ours, right response                               Valid
 * </pre>
 *
 * Thread-safe.
 */
public final class DigestAuthenticator {

    /** Octets of a nonce before base64: issue time (8), random (8), HMAC prefix (16). */
    private static final int NONCE_OCTETS = 32;
    private static final int MAC_OCTETS = 16;
    /** Whatever a client sends in one parameter beyond this is not a digest we issued or accept. */
    static final int MAX_PARAMETER = 512;

    private final String realm;
    private final Duration nonceLifetime;
    private final Clock clock;
    private final SecretKeySpec key;
    private final NonceCounts counts;

    /** With room to track the counts of 100,000 nonces in use. */
    public DigestAuthenticator(String realm, Duration nonceLifetime, Clock clock) {
        this(realm, nonceLifetime, clock, 100_000);
    }

    /**
     * @param realm            the realm of every challenge ({@code tandem.sip.realm}); HA1s are stored for it
     * @param nonceLifetime    how long a nonce may be used (its counts keep growing); older gets {@code stale=true}
     * @param maxTrackedNonces bound on nonces whose count is remembered; when it is reached the oldest are
     *                         forgotten and every nonce issued up to them is treated as expired
     */
    public DigestAuthenticator(String realm, Duration nonceLifetime, Clock clock, int maxTrackedNonces) {
        this.realm = realm;
        this.nonceLifetime = nonceLifetime;
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.counts = new NonceCounts(maxTrackedNonces, nonceLifetime);
    }

    /** The outcome of checking an {@code Authorization}/{@code Proxy-Authorization} header. */
    public sealed interface Verdict {
        record Valid(String username) implements Verdict {
        }

        /**
         * The nonce is not one this node gave this source, has expired or was used with this count
         * before: challenge again with {@code stale=true}. A spoofer can produce this, so it is
         * never counted as a failed guess. {@code sha256Only}: the right password with MD5 for a
         * trunk that refuses MD5; the new challenge offers SHA-256 alone.
         */
        record Stale(String username, String why, boolean sha256Only) implements Verdict {
            public Stale(String username, String why) {
                this(username, why, false);
            }
        }

        /**
         * The credentials answer a challenge this node sent to this very source and are wrong: a
         * guess that only whoever receives at the address could have made.
         */
        record Failed(String username, String why) implements Verdict {
        }
    }

    /**
     * {@code Proxy-Authenticate} header values for a challenge sent to {@code source}: an MD5 and a
     * SHA-256 one, or SHA-256 alone. MD5 comes first because many carrier switches (and sipp)
     * answer only the first challenge and know only MD5; clients that support SHA-256 pick it from
     * the second header (RFC 8760 §2.4).
     */
    public String[] challenges(InetAddress source, boolean stale, boolean offerMd5) {
        String nonce = newNonce(source);
        String suffix = ", qop=\"auth\"" + (stale ? ", stale=true" : "");
        String sha256 = "Digest realm=\"" + realm + "\", nonce=\"" + nonce + "\", algorithm=SHA-256" + suffix;
        if (!offerMd5) {
            return new String[] {sha256};
        }
        return new String[] {"Digest realm=\"" + realm + "\", nonce=\"" + nonce + "\", algorithm=MD5" + suffix, sha256};
    }

    public String realm() {
        return realm;
    }

    /** Nonces whose counts are remembered now (bounded). */
    public long trackedNonces() {
        return counts.size();
    }

    /** The username in a credentials header, if it parses. */
    public static Optional<String> username(String authorization) {
        return Optional.ofNullable(parse(authorization).get("username"));
    }

    /**
     * @param authorization the {@code Proxy-Authorization} value
     * @param method        the request method (INVITE)
     * @param requestUri    the request's Request-URI, which the digest {@code uri} must name
     * @param source        where the request came from (the customer's address behind a trusted proxy)
     * @param ha1Md5        stored H(user:realm:password) with MD5
     * @param ha1Sha256     stored H(user:realm:password) with SHA-256
     * @param md5Allowed    false when the trunk accepts SHA-256 only
     */
    public Verdict verify(String authorization, String method, SipUri requestUri, InetAddress source, String ha1Md5,
                          String ha1Sha256, boolean md5Allowed) {
        Map<String, String> p = parse(authorization);
        String username = p.get("username");
        String nonce = p.get("nonce");
        if (nonce == null) {
            return new Verdict.Stale(username, "no nonce");
        }
        long issued = issuedTo(nonce, source);
        if (issued < 0) {
            return new Verdict.Stale(username, "nonce not issued to this source by this node");
        }
        if (clock.millis() - issued > nonceLifetime.toMillis() || counts.forgotten(issued)) {
            return new Verdict.Stale(username, "nonce expired");
        }
        String uri = p.get("uri");
        String response = p.get("response");
        if (username == null || uri == null || response == null) {
            return new Verdict.Failed(username, "incomplete credentials");
        }
        if (!realm.equals(p.get("realm"))) {
            return new Verdict.Failed(username, "wrong realm");
        }
        if (!sameUri(uri, requestUri)) {
            return new Verdict.Failed(username, "digest uri is not the Request-URI");
        }
        String qop = p.get("qop");
        String nc = p.get("nc");
        String cnonce = p.get("cnonce");
        if (!"auth".equalsIgnoreCase(qop) || cnonce == null) {
            return new Verdict.Failed(username, "qop=auth with a cnonce is required");
        }
        long count = nonceCount(nc);
        if (count <= 0) {
            return new Verdict.Failed(username, "nonce count is not 8 hex digits");
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
                return new Verdict.Failed(username, "unsupported algorithm " + algorithm);
            }
        }
        String ha2 = DigestHashes.hex(digest, method + ":" + uri);
        String expected = DigestHashes.hex(digest, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return new Verdict.Failed(username, "wrong password");
        }
        if (digest.equals("MD5") && !md5Allowed) {
            return new Verdict.Stale(username, "MD5 refused for this trunk", true);
        }
        if (!counts.advance(nonce, issued, count)) {
            return new Verdict.Stale(username, "nonce count replayed");
        }
        return new Verdict.Valid(username);
    }

    /**
     * RFC 7616 §3.4.6: the server checks that {@code uri} names the request's target. Clients copy
     * the Request-URI; a different text is accepted only when it is the same SIP URI (scheme, user,
     * host in any case, port).
     */
    private static boolean sameUri(String uri, SipUri requestUri) {
        if (uri.equals(requestUri.raw())) {
            return true;
        }
        if (uri.length() > MAX_PARAMETER) {
            return false;
        }
        try {
            SipUri named = SipUri.parse(uri);
            return named.scheme().equals(requestUri.scheme())
                    && java.util.Objects.equals(named.user(), requestUri.user())
                    && named.host() != null && named.host().equalsIgnoreCase(requestUri.host())
                    && named.port() == requestUri.port();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code nc} as a number, or -1 when it is not the 8 hex digits of RFC 7616 §3.4. */
    private static long nonceCount(String nc) {
        if (nc == null || nc.length() != 8) {
            return -1;
        }
        try {
            return Long.parseLong(nc, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private String newNonce(InetAddress source) {
        ByteBuffer buffer = ByteBuffer.allocate(NONCE_OCTETS);
        buffer.putLong(clock.millis());
        buffer.putLong(ThreadLocalRandom.current().nextLong());
        buffer.put(mac(buffer.array(), 16, source), 0, MAC_OCTETS);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /** When the nonce was issued, or -1 when this node did not issue it to {@code source}. */
    private long issuedTo(String nonce, InetAddress source) {
        if (nonce.length() > MAX_PARAMETER) {
            return -1;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (raw.length != NONCE_OCTETS) {
            return -1;
        }
        byte[] expected = Arrays.copyOf(mac(raw, 16, source), MAC_OCTETS);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, 16, NONCE_OCTETS))) {
            return -1;
        }
        return ByteBuffer.wrap(raw, 0, 8).getLong();
    }

    private byte[] mac(byte[] data, int length, InetAddress source) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, 0, length);
            mac.update(source.getAddress());
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
            params.putIfAbsent(name, value);
        }
        return params;
    }
}
