package io.tandem.softswitch.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.routing.provisioning.DigestHashes;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.call.identify.DigestAuthenticator.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {

    private static final String REALM = "http-auth@example.org";
    private static final String MUFASA_MD5 = DigestHashes.ha1Md5("Mufasa", REALM, "Circle of Life");
    private static final String MUFASA_SHA = DigestHashes.ha1Sha256("Mufasa", REALM, "Circle of Life");

    /** RFC 7616 §3.9.1: the example's responses match; its nonce is, rightly, not one of ours. */
    @Test
    void computesTheRfc7616ExampleResponses() {
        DigestAuthenticator authenticator = new DigestAuthenticator(REALM, Duration.ofMinutes(5), Clock.systemUTC());
        String common = "username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", qop=auth, nc=00000001, "
                + "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", ";

        Verdict md5 = authenticator.verify("Digest " + common + "algorithm=MD5, response=\"8ca523f5e9506fed4657c9700eebdbec\"",
                "GET", MUFASA_MD5, MUFASA_SHA);
        Verdict sha = authenticator.verify("Digest " + common
                        + "algorithm=SHA-256, response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\"",
                "GET", MUFASA_MD5, MUFASA_SHA);
        Verdict wrong = authenticator.verify("Digest " + common + "algorithm=MD5, response=\"00000000000000000000000000000000\"",
                "GET", MUFASA_MD5, MUFASA_SHA);

        assertThat(md5).isEqualTo(new Verdict.Invalid("Mufasa", "nonce not issued by this node"));
        assertThat(sha).isEqualTo(new Verdict.Invalid("Mufasa", "nonce not issued by this node"));
        assertThat(wrong).isEqualTo(new Verdict.Invalid("Mufasa", "wrong password"));
    }

    @Test
    void acceptsOwnNoncesUntilTheyExpireThenSaysStale() {
        MutableClock clock = new MutableClock();
        DigestAuthenticator authenticator = new DigestAuthenticator("tandem", Duration.ofSeconds(30), clock);
        String ha1 = DigestHashes.ha1Sha256("acme", "tandem", "s3cret-pass");
        String challenge = authenticator.challenges(false)[1];
        Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
        assertThat(nonce.find()).isTrue();
        assertThat(challenge).contains("algorithm=SHA-256");

        String credentials = credentials("acme", "tandem", nonce.group(1), ha1, "INVITE", "sip:4420@127.0.0.1");
        assertThat(authenticator.verify(credentials, "INVITE", DigestHashes.ha1Md5("acme", "tandem", "s3cret-pass"), ha1))
                .isEqualTo(new Verdict.Valid("acme"));

        clock.advance(Duration.ofSeconds(31));
        assertThat(authenticator.verify(credentials, "INVITE", DigestHashes.ha1Md5("acme", "tandem", "s3cret-pass"), ha1))
                .isEqualTo(new Verdict.Stale("acme"));
        assertThat(authenticator.challenges(true)[0]).contains("stale=true");
    }

    private static String credentials(String user, String realm, String nonce, String ha1, String method, String uri) {
        String ha2 = sha256(method + ":" + uri);
        String response = sha256(ha1 + ":" + nonce + ":00000001:abc:auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"abc\"";
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
