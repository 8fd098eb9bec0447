package io.tandem.routing.provisioning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * HA1 = H(username ":" realm ":" password) for SIP digest (RFC 7616 §3.4.2), in MD5 and SHA-256.
 * Only these hashes are stored; a stolen database does not reveal trunk passwords in clear.
 */
public final class DigestHashes {

    private DigestHashes() {
    }

    public static String ha1Md5(String username, String realm, String password) {
        return hex("MD5", username + ":" + realm + ":" + password);
    }

    public static String ha1Sha256(String username, String realm, String password) {
        return hex("SHA-256", username + ":" + realm + ":" + password);
    }

    /** Lower-case hex of the {@code algorithm} (MD5, SHA-256) digest of {@code text} in UTF-8. */
    public static String hex(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without " + algorithm, e);
        }
    }
}
