package io.tandem.softswitch.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.routing.provisioning.DigestHashes;
import io.tandem.softswitch.call.identify.DigestAuthenticator;
import io.tandem.softswitch.call.identify.DigestAuthenticator.Verdict;
import io.tandem.softswitch.sip.message.SipUri;
import java.net.InetAddress;
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

    private static final InetAddress CALLER = address("192.0.2.10");
    private static final InetAddress SPOOFER = address("198.51.100.66");
    private static final SipUri REQUEST_URI = SipUri.parse("sip:4420@127.0.0.1");
    private static final String MD5 = DigestHashes.ha1Md5("acme", "tandem", "s3cret-pass");
    private static final String SHA = DigestHashes.ha1Sha256("acme", "tandem", "s3cret-pass");

    private final MutableClock clock = new MutableClock();
    private final DigestAuthenticator authenticator = new DigestAuthenticator("tandem", Duration.ofSeconds(30), clock);

    /** RFC 7616 §3.9.1's credentials are right for its password, but its nonce is not one of ours: challenge again, no guess. */
    @Test
    void aNonceThisNodeDidNotIssueGetsAFreshChallengeNotAFailure() {
        DigestAuthenticator rfc = new DigestAuthenticator(REALM, Duration.ofMinutes(5), Clock.systemUTC());
        String common = "username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", qop=auth, nc=00000001, "
                + "cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", ";

        Verdict md5 = rfc.verify("Digest " + common + "algorithm=MD5, response=\"8ca523f5e9506fed4657c9700eebdbec\"",
                "GET", SipUri.parse("sip:x@example.org"), CALLER, MUFASA_MD5, MUFASA_SHA, true);
        Verdict wrong = rfc.verify("Digest " + common + "algorithm=MD5, response=\"00000000000000000000000000000000\"",
                "GET", SipUri.parse("sip:x@example.org"), CALLER, MUFASA_MD5, MUFASA_SHA, true);

        assertThat(md5).isInstanceOf(Verdict.Stale.class);
        assertThat(wrong).isInstanceOf(Verdict.Stale.class);
    }

    @Test
    void acceptsOwnNoncesUntilTheyExpireThenSaysStale() {
        String challenge = authenticator.challenges(CALLER, false, true)[1];
        assertThat(challenge).contains("algorithm=SHA-256").contains("qop=\"auth\"");

        assertThat(verify(credentials("SHA-256", nonce(challenge), 1, REQUEST_URI.raw(), SHA), CALLER))
                .isEqualTo(new Verdict.Valid("acme"));

        clock.advance(Duration.ofSeconds(31));
        assertThat(verify(credentials("SHA-256", nonce(challenge), 2, REQUEST_URI.raw(), SHA), CALLER))
                .isInstanceOf(Verdict.Stale.class);
        assertThat(authenticator.challenges(CALLER, true, true)[0]).contains("stale=true");
    }

    /** One sniffed INVITE must not buy a second call: the same nonce count again is a replay. */
    @Test
    void theSameCredentialsTwiceAreAReplayAndOnlyAGrowingNonceCountPasses() {
        String nonce = nonce(authenticator.challenges(CALLER, false, true)[0]);
        String first = credentials("MD5", nonce, 1, REQUEST_URI.raw(), MD5);

        assertThat(verify(first, CALLER)).isEqualTo(new Verdict.Valid("acme"));
        assertThat(verify(first, CALLER)).isEqualTo(new Verdict.Stale("acme", "nonce count replayed"));
        assertThat(verify(credentials("MD5", nonce, 2, REQUEST_URI.raw(), MD5), CALLER)).isEqualTo(new Verdict.Valid("acme"));
        assertThat(verify(credentials("MD5", nonce, 2, REQUEST_URI.raw(), MD5), CALLER)).isInstanceOf(Verdict.Stale.class);
    }

    /** Credentials computed for one number do not place a call to another (RFC 7616 §3.4.6). */
    @Test
    void credentialsForAnotherRequestUriFail() {
        String nonce = nonce(authenticator.challenges(CALLER, false, true)[0]);
        String forOtherNumber = credentials("MD5", nonce, 1, "sip:4420@127.0.0.1", MD5);

        Verdict verdict = authenticator.verify(forOtherNumber, "INVITE", SipUri.parse("sip:900123@127.0.0.1"), CALLER, MD5, SHA, true);

        assertThat(verdict).isEqualTo(new Verdict.Failed("acme", "digest uri is not the Request-URI"));
    }

    /** We offer qop=auth, so an answer without it (RFC 2069 style, no nonce count) is refused. */
    @Test
    void anAnswerWithoutQopAuthFails() {
        String nonce = nonce(authenticator.challenges(CALLER, false, true)[0]);
        String ha2 = hex("MD5", "INVITE:" + REQUEST_URI.raw());
        String response = hex("MD5", MD5 + ":" + nonce + ":" + ha2);
        String noQop = "Digest username=\"acme\", realm=\"tandem\", nonce=\"" + nonce + "\", uri=\"" + REQUEST_URI.raw()
                + "\", response=\"" + response + "\", algorithm=MD5";

        assertThat(verify(noQop, CALLER)).isEqualTo(new Verdict.Failed("acme", "qop=auth with a cnonce is required"));
    }

    /** A nonce proves where it was sent: someone else's (or a spoofed copy) is challenged again and never counted as a guess. */
    @Test
    void aNonceSentToAnotherAddressIsStaleForTheSpoofer() {
        String nonce = nonce(authenticator.challenges(CALLER, false, true)[0]);
        String wrongPassword = credentials("MD5", nonce, 1, REQUEST_URI.raw(), DigestHashes.ha1Md5("acme", "tandem", "guess"));

        assertThat(verify(wrongPassword, SPOOFER)).isInstanceOf(Verdict.Stale.class);
        assertThat(verify(wrongPassword, CALLER)).isEqualTo(new Verdict.Failed("acme", "wrong password"));
    }

    /** RFC 8760: a trunk that refuses MD5 gets SHA-256 only; the right MD5 answer is challenged again for SHA-256. */
    @Test
    void aTrunkThatRefusesMd5IsChallengedForSha256Only() {
        String[] sha256Only = authenticator.challenges(CALLER, false, false);
        assertThat(sha256Only).hasSize(1);
        assertThat(sha256Only[0]).contains("algorithm=SHA-256");
        String nonce = nonce(sha256Only[0]);

        Verdict md5 = authenticator.verify(credentials("MD5", nonce, 1, REQUEST_URI.raw(), MD5), "INVITE", REQUEST_URI, CALLER,
                MD5, SHA, false);
        Verdict sha = authenticator.verify(credentials("SHA-256", nonce, 2, REQUEST_URI.raw(), SHA), "INVITE", REQUEST_URI, CALLER,
                MD5, SHA, false);

        assertThat(md5).isEqualTo(new Verdict.Stale("acme", "MD5 refused for this trunk", true));
        assertThat(sha).isEqualTo(new Verdict.Valid("acme"));
    }

    /** The count table is bounded; a nonce whose count was forgotten can never be replayed, only re-challenged. */
    @Test
    void aNonceForgottenByTheBoundedTableIsStaleNotReplayable() {
        DigestAuthenticator small = new DigestAuthenticator("tandem", Duration.ofMinutes(5), clock, 2);
        String oldest = nonce(small.challenges(CALLER, false, true)[0]);
        String oldestCredentials = credentials("MD5", oldest, 1, REQUEST_URI.raw(), MD5);
        assertThat(small.verify(oldestCredentials, "INVITE", REQUEST_URI, CALLER, MD5, SHA, true)).isEqualTo(new Verdict.Valid("acme"));
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofMillis(10));
            String nonce = nonce(small.challenges(CALLER, false, true)[0]);
            small.verify(credentials("MD5", nonce, 1, REQUEST_URI.raw(), MD5), "INVITE", REQUEST_URI, CALLER, MD5, SHA, true);
        }

        assertThat(small.trackedNonces()).isLessThanOrEqualTo(2);
        assertThat(small.verify(oldestCredentials, "INVITE", REQUEST_URI, CALLER, MD5, SHA, true)).isInstanceOf(Verdict.Stale.class);
    }

    private Verdict verify(String credentials, InetAddress source) {
        return authenticator.verify(credentials, "INVITE", REQUEST_URI, source, MD5, SHA, true);
    }

    private static String nonce(String challenge) {
        Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
        assertThat(nonce.find()).isTrue();
        return nonce.group(1);
    }

    /** What a client computes (RFC 7616 §3.4.1 with qop=auth). */
    private static String credentials(String algorithm, String nonce, int count, String uri, String ha1) {
        String nc = String.format("%08x", count);
        String ha2 = hex(algorithm, "INVITE:" + uri);
        String response = hex(algorithm, ha1 + ":" + nonce + ":" + nc + ":abc:auth:" + ha2);
        return "Digest username=\"acme\", realm=\"tandem\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=" + algorithm + ", qop=auth, nc=" + nc + ", cnonce=\"abc\"";
    }

    private static String hex(String algorithm, String text) {
        return DigestHashes.hex(algorithm, text);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
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
