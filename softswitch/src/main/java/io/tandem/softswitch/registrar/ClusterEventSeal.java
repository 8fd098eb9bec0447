package io.tandem.softswitch.registrar;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proves a cluster event comes from a node that knows the cluster's shared key
 * ({@code tandem.cluster.event-key}): HMAC-SHA256 (RFC 2104) over the whole body, carried in the
 * {@value #HEADER} header as {@code hmac-sha256=<base64url>}. The body names its sender, sequence number
 * and time, so the seal covers them too; {@link ReplayWindow} refuses a sealed body sent again.
 * Thread-safe.
 */
public final class ClusterEventSeal {

    public static final String HEADER = "X-Tandem-Signature";
    private static final String PREFIX = "hmac-sha256=";
    /** Shorter keys are guessable offline from one captured MESSAGE. */
    public static final int MIN_KEY_LENGTH = 16;

    private final SecretKeySpec key;

    public ClusterEventSeal(String sharedKey) {
        if (sharedKey == null || sharedKey.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("tandem.cluster.event-key must have at least " + MIN_KEY_LENGTH + " characters");
        }
        this.key = new SecretKeySpec(sharedKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The header value for a body. */
    public String seal(byte[] body) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(body));
    }

    /** Whether the header value is this key's seal of the body (constant-time comparison). */
    public boolean verify(byte[] body, String header) {
        if (header == null || !header.startsWith(PREFIX) || header.length() > PREFIX.length() + 64) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = Base64.getUrlDecoder().decode(header.substring(PREFIX.length()).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(body), claimed);
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("JDK without HmacSHA256", e);
        }
    }
}
