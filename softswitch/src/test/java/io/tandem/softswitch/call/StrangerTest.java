package io.tandem.softswitch.call;

import static io.tandem.softswitch.call.CallHarness.VENDOR_A;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.routing.provisioning.AssertedIdentity;
import io.tandem.routing.provisioning.DigestHashes;
import io.tandem.routing.provisioning.TrunkAccess;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.message.Via;
import io.tandem.softswitch.sip.transaction.TransactionConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a stranger on UDP 5060 gets, through the engine's ports on a hand-moved clock: one
 * stateless answer per packet (no transaction, no retransmission), challenges bound to the address
 * they were sent to, guessing slowed then banned only on answers to our own challenges, the same
 * 403 for an unknown user and a wrong password, capped transactions, and customers behind a
 * trusted proxy.
 */
class StrangerTest {

    static final InetSocketAddress STRANGER = new InetSocketAddress("100.64.0.9", 5060);
    static final InetSocketAddress SPOOFED = new InetSocketAddress("100.64.0.66", 5060);
    static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.5", 5060);
    static final String MD5 = DigestHashes.ha1Md5("acme", "tandem", "s3cret-pass");
    static final String SHA = DigestHashes.ha1Sha256("acme", "tandem", "s3cret-pass");

    final CallHarness h = new CallHarness();
    int calls;

    CallHarness withDigestTrunk() {
        h.moreTrunks = List.of(new TrunkAccess(8, 42, "digest-trunk", true, List.of(),
                List.of(new TrunkAccess.DigestUser("acme", "tandem", MD5, SHA)), "active", true, null, null, null, null,
                AssertedIdentity.PASS, true, io.tandem.routing.provisioning.MediaMode.RELAY));
        return h.start();
    }

    /** A fresh INVITE (own Call-ID and branch) as from the given source. */
    SipRequest.Builder invite(InetSocketAddress from) {
        String callId = "stranger-" + (++calls);
        return h.invite(callId).replaceFirstValue(HeaderName.VIA,
                Via.of("UDP", from.getAddress().getHostAddress(), from.getPort(), "z9hG4bK-s-" + callId).toString());
    }

    SipResponse lastAnswer() {
        return h.toCustomer().getLast();
    }

    // ------------------------------------------------------------------ stateless answers

    @Test
    void aChallengeToAStrangerIsSentOnceAndNeverRetransmitted() {
        withDigestTrunk();
        h.fromSource(invite(STRANGER).build(), STRANGER);
        h.clock.advance(32_000);

        assertThat(h.customerStatuses()).containsExactly(407);
        assertThat(h.layer().size()).as("no transaction kept for a stranger").isZero();
        assertThat(h.layer().counters().statelessAnswers()).isEqualTo(1);
    }

    @Test
    void aRefusalToAnUnknownSourceIsSentOnceWithoutATransaction() {
        h.start();
        h.fromSource(invite(STRANGER).build(), STRANGER);
        h.clock.advance(32_000);

        assertThat(h.customerStatuses()).containsExactly(403);
        assertThat(lastAnswer().header(HeaderName.REASON)).contains("unknown source 100.64.0.9");
        assertThat(h.layer().size()).isZero();
    }

    @Test
    void requestsForCallsThatDoNotExistAndMethodsWeDoNotServeAreAnsweredStatelessly() {
        h.start();
        SipRequest register = invite(STRANGER).method("REGISTER").cseq(new io.tandem.softswitch.sip.message.CSeq(1, "REGISTER"))
                .noBody().build();
        SipRequest strayBye = h.customerInDialog(invite(STRANGER).build(), "BYE", 2, "no-such-tag");
        h.fromSource(register, STRANGER);
        h.fromSource(strayBye, STRANGER);
        h.clock.advance(32_000);

        assertThat(h.customerStatuses()).containsExactly(405, 481);
        assertThat(h.layer().size()).isZero();
    }

    // ------------------------------------------------------------------ digest: replay, guessing, enumeration

    @Test
    void theRightPasswordPlacesTheCallAndTheSameInviteReplayedIsChallengedAgain() {
        withDigestTrunk();
        h.fromSource(invite(STRANGER).build(), STRANGER);
        String nonce = nonce(lastAnswer());
        SipRequest signed = invite(STRANGER).header(HeaderName.PROXY_AUTHORIZATION,
                credentials(nonce, 1, "s3cret-pass", "sip:442079460001@192.0.2.1")).build();

        h.fromSource(signed, STRANGER);
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE");

        // The sniffed INVITE again, as a new call (new Call-ID and branch, same credentials).
        SipRequest replay = signed.copy().callId("replayed").replaceFirstValue(HeaderName.VIA,
                Via.of("UDP", "100.64.0.9", 5060, "z9hG4bK-replay").toString()).build();
        h.fromSource(replay, STRANGER);

        assertThat(lastAnswer().status()).isEqualTo(407);
        assertThat(lastAnswer().headers().all(HeaderName.PROXY_AUTHENTICATE)).allMatch(c -> c.contains("stale=true"));
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE");
    }

    @Test
    void credentialsForOneNumberDoNotCallAnother() {
        withDigestTrunk();
        h.fromSource(invite(STRANGER).build(), STRANGER);
        SipRequest premium = invite(STRANGER).requestUri(io.tandem.softswitch.sip.message.SipUri.parse("sip:900123@192.0.2.1"))
                .header(HeaderName.PROXY_AUTHORIZATION,
                        credentials(nonce(lastAnswer()), 1, "s3cret-pass", "sip:442079460001@192.0.2.1")).build();

        h.fromSource(premium, STRANGER);

        assertThat(lastAnswer().status()).isEqualTo(403);
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
    }

    @Test
    void anUnknownUserAndAWrongPasswordGetTheSameAnswer() {
        withDigestTrunk();
        h.fromSource(invite(STRANGER).build(), STRANGER);
        String nonce = nonce(lastAnswer());
        h.fromSource(invite(STRANGER).header(HeaderName.PROXY_AUTHORIZATION,
                credentials(nonce, 1, "wrong-pass", "sip:442079460001@192.0.2.1")).build(), STRANGER);
        SipResponse wrongPassword = lastAnswer();
        h.fromSource(invite(STRANGER).header(HeaderName.PROXY_AUTHORIZATION,
                credentials(nonce, 2, "s3cret-pass", "sip:442079460001@192.0.2.1").replace("\"acme\"", "\"nobody\"")).build(), STRANGER);
        SipResponse unknownUser = lastAnswer();

        assertThat(unknownUser.status()).isEqualTo(wrongPassword.status()).isEqualTo(403);
        assertThat(unknownUser.reasonPhrase()).isEqualTo(wrongPassword.reasonPhrase());
        assertThat(unknownUser.header(HeaderName.REASON)).isEqualTo(wrongPassword.header(HeaderName.REASON));
    }

    /** A spoofer never received our nonce: whatever it sends is challenged again and can never get a peer banned. */
    @Test
    void failedDigestsFromASourceThatNeverReceivedOurNonceAreNeverCounted() {
        withDigestTrunk();
        h.fromSource(invite(STRANGER).build(), STRANGER);
        String someoneElsesNonce = nonce(lastAnswer());
        for (int i = 1; i <= 30; i++) {
            h.fromSource(invite(SPOOFED).header(HeaderName.PROXY_AUTHORIZATION,
                    credentials(someoneElsesNonce, i, "guess-" + i, "sip:442079460001@192.0.2.1")).build(), SPOOFED);
            assertThat(lastAnswer().status()).isEqualTo(407);
        }
        assertThat(h.banned).isEmpty();
    }

    @Test
    void aSourceThatKeepsAnsweringItsOwnChallengesWronglyIsSlowedThenBanned() {
        withDigestTrunk();
        for (int guess = 1; guess <= 3; guess++) {
            guessOnce(guess);
            assertThat(lastAnswer().status()).isEqualTo(403);
        }
        // Three wrong answers: silence for 1 s.
        int answered = h.toCustomer().size();
        h.fromSource(invite(STRANGER).build(), STRANGER);
        assertThat(h.toCustomer()).as("slowed: no answer").hasSize(answered);
        assertThat(h.layer().counters().silenced()).isEqualTo(1);

        h.clock.advance(1_001);
        for (int guess = 4; guess <= 9; guess++) {
            guessOnce(guess);
            h.clock.advance(1_000L << (guess - 3));
        }
        assertThat(h.banned).isEmpty();
        guessOnce(10);
        assertThat(h.banned).extracting(java.net.InetAddress::getHostAddress).containsExactly("100.64.0.9");
        answered = h.toCustomer().size();
        h.fromSource(invite(STRANGER).build(), STRANGER);
        assertThat(h.toCustomer()).as("banned: no answer").hasSize(answered);
    }

    private void guessOnce(int guess) {
        h.fromSource(invite(STRANGER).build(), STRANGER);
        assertThat(lastAnswer().status()).isEqualTo(407);
        h.fromSource(invite(STRANGER).header(HeaderName.PROXY_AUTHORIZATION,
                credentials(nonce(lastAnswer()), 1, "guess-" + guess, "sip:442079460001@192.0.2.1")).build(), STRANGER);
    }

    // ------------------------------------------------------------------ transaction caps

    @Test
    void aSourcePastItsShareOfTransactionsGets503WithRetryAfter() {
        h.transactionConfig = TransactionConfig.defaults().withServerTransactionLimits(1_000, 2);
        h.billingHeld = true;
        h.start();
        h.fromCustomer(h.invite("held-1").build());
        h.fromCustomer(h.invite("held-2").build());
        h.fromCustomer(h.invite("held-3").build());

        SipResponse full = h.toCustomer().stream().filter(r -> r.callId().equals("held-3")).findFirst().orElseThrow();
        assertThat(full.status()).isEqualTo(503);
        assertThat(full.header(HeaderName.RETRY_AFTER)).isEqualTo("2");
        assertThat(h.layer().counters().refusedFull()).isEqualTo(1);

        h.layer().exemptFromSourceLimit(address -> address.equals(CallHarness.CUSTOMER.getAddress()));
        h.fromCustomer(h.invite("held-4").build());
        assertThat(h.toCustomer().stream().filter(r -> r.callId().equals("held-4")).map(SipResponse::status)).containsExactly(100);
    }

    @Test
    void pastTheGlobalCapEveryNewRequestGets503() {
        h.transactionConfig = TransactionConfig.defaults().withServerTransactionLimits(2, 1_000);
        h.billingHeld = true;
        h.start();
        h.layer().exemptFromSourceLimit(address -> true);
        h.fromCustomer(h.invite("held-1").build());
        h.fromCustomer(h.invite("held-2").build());
        h.fromCustomer(h.invite("held-3").build());

        assertThat(h.toCustomer().stream().filter(r -> r.callId().equals("held-3")).map(SipResponse::status)).containsExactly(503);
    }

    // ------------------------------------------------------------------ trusted proxies, disabled trunks

    @Test
    void behindATrustedProxyTheCustomerIsTheAddressTheProxyNames() {
        h.settings = h.settings.withTrustedProxies(List.of("10.0.0.0/24"));
        h.start();
        h.fromSource(invite(PROXY).header("X-Tandem-Source", "198.51.100.7:5060").build(), PROXY);

        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE");
    }

    @Test
    void theSourceHeaderIsIgnoredFromAnyoneButATrustedProxy() {
        h.settings = h.settings.withTrustedProxies(List.of("10.0.0.0/24"));
        h.start();
        h.fromSource(invite(STRANGER).header("X-Tandem-Source", "198.51.100.7:5060").build(), STRANGER);
        h.fromSource(invite(PROXY).build(), PROXY);

        assertThat(h.customerStatuses()).containsExactly(403, 403);
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
    }

    @Test
    void aDisabledTrunksAddressesAreStrangersAgain() {
        h.trunk = new TrunkAccess(7, 42, "acme-trunk", false, List.of("198.51.100.0/24"), List.of(), "active", true,
                null, null, null, null, AssertedIdentity.PASS, true, io.tandem.routing.provisioning.MediaMode.RELAY);
        h.start();
        h.fromCustomer(h.invite("disabled").build());

        assertThat(h.customerStatuses()).containsExactly(403);
        assertThat(lastAnswer().header(HeaderName.REASON)).contains("unknown source");
        assertThat(h.layer().size()).isZero();
    }

    // ------------------------------------------------------------------ helpers

    static String nonce(SipResponse challenge) {
        Matcher m = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge.header(HeaderName.PROXY_AUTHENTICATE));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** MD5 credentials with qop=auth as a carrier switch computes them (RFC 7616 §3.4.1). */
    static String credentials(String nonce, int count, String password, String uri) {
        String nc = String.format("%08x", count);
        String ha1 = DigestHashes.ha1Md5("acme", "tandem", password);
        String ha2 = DigestHashes.hex("MD5", "INVITE:" + uri);
        String response = DigestHashes.hex("MD5", ha1 + ":" + nonce + ":" + nc + ":c0ffee:auth:" + ha2);
        return "Digest username=\"acme\", realm=\"tandem\", nonce=\"" + nonce + "\", uri=\"" + uri + "\", response=\"" + response
                + "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"c0ffee\"";
    }
}
