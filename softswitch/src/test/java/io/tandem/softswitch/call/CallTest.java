package io.tandem.softswitch.call;

import static io.tandem.softswitch.call.CallHarness.VENDOR_A;
import static io.tandem.softswitch.call.CallHarness.VENDOR_B;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.authorization.Authorization;
import io.tandem.billing.authorization.RejectionReason;
import io.tandem.billing.cdr.CdrMediaStats;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.testing.ManualClock;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import io.tandem.softswitch.sip.transport.SipDestination;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The call's state machine, row by row of the table in {@link Call}'s javadoc, through the
 * engine's own ports: a customer and two vendors on a recorded wire, the real transaction layer
 * on a hand-moved clock, billing that grants what each test says.
 */
class CallTest {

    final CallHarness h = new CallHarness();

    SipRequest placeCall(String callId, String... recordRoutes) {
        h.start();
        SipRequest invite = h.invite(callId, recordRoutes).build();
        h.fromCustomer(invite);
        return invite;
    }

    /** Customer call answered by vendor A; returns the INVITE. */
    SipRequest answeredCall(String callId, String... recordRoutes) {
        SipRequest invite = placeCall(callId, recordRoutes);
        h.vendorAnswers(VENDOR_A, 100);
        h.vendorAnswers(VENDOR_A, 180);
        h.vendorAnswers(VENDOR_A, 200);
        h.customerAcks(invite, ourTag());
        return invite;
    }

    String ourTag() {
        return h.toCustomer().stream().filter(r -> r.status() > 100).findFirst().orElseThrow().to().tag();
    }

    CdrRecord onlyCdr() {
        assertThat(h.settled).as("settled exactly once").hasSize(1);
        return h.settled.getFirst().getLast();
    }

    // ------------------------------------------------------------------ ROUTING

    @Test
    void routingWithoutMoneyRefuses402AndWritesTheRejectedCdr() {
        h.refuseWith = new Authorization.Rejected(UUID.randomUUID(), RejectionReason.INSUFFICIENT_FUNDS, "empty");
        placeCall("no-money");
        SipResponse refusal = h.toCustomer().getLast();
        assertThat(refusal.status()).isEqualTo(402);
        assertThat(refusal.header(HeaderName.REASON)).isEqualTo("Q.850;cause=21;text=\"insufficient balance\"");
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
        assertThat(onlyCdr().sipCode()).isEqualTo(402);
        assertThat(h.engine.stats().rejected()).isEqualTo(1);
        assertThat(h.engine.rejected("insufficient-funds")).as("counted under its reason").isEqualTo(1);
        assertThat(h.engine.rejected("no-route")).isZero();
        assertThat(CallRejections.reasonNames()).contains("insufficient-funds", "no-route", "cps-limit-exceeded", "node-warming-up",
                CallRejections.SILENCED);
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void aFullBillingQueueRefuses503OverloadedBeforeAnyVendor() {
        h.billingFull = true;
        placeCall("billing-full");
        SipResponse refusal = h.toCustomer().getLast();
        assertThat(refusal.status()).isEqualTo(503);
        assertThat(refusal.header(HeaderName.REASON)).contains("overloaded: billing queue full");
        assertThat(refusal.header(HeaderName.RETRY_AFTER)).isEqualTo("2");
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
    }

    @Test
    void aCancelWhileBillingDecidesIsAnswered487WhenTheGrantArrivesAndTheHoldIsSettled() {
        h.billingHeld = true;
        SipRequest invite = placeCall("cancel-routing");
        h.fromCustomer(invite.copy().method("CANCEL").cseq(new io.tandem.softswitch.sip.message.CSeq(1, "CANCEL")).noBody().build());
        assertThat(h.inviteStatuses()).containsExactly(100);
        h.runBilling();
        assertThat(h.inviteStatuses()).containsExactly(100, 487);
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
        assertThat(onlyCdr().sipCode()).isEqualTo(487);
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void anOperatorHangUpWhileBillingDecidesEndsTheCallAndTheLateGrantIsGivenBack() {
        h.billingHeld = true;
        placeCall("hangup-routing");
        assertThat(h.engine.hangUp(h.engine.activeCalls().getFirst().id())).isTrue();
        assertThat(h.inviteStatuses()).containsExactly(100, 503);
        assertThat(h.settled).isEmpty();
        h.runBilling();
        assertThat(onlyCdr().sipReason()).as("the late grant is settled, so its hold comes back").isEqualTo("ended before authorization");
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
    }

    @Test
    void aSecondInviteWithTheSameCallIdIsAMergedRequest() {
        h.start();
        h.fromCustomer(h.invite("merged").build());
        // Another branch and CSeq, so not a retransmission nor the transaction layer's merge check: the engine's own.
        h.fromCustomer(h.invite("merged").removeHeader(HeaderName.VIA)
                .via(io.tandem.softswitch.sip.message.Via.of("UDP", "198.51.100.7", 5060, "z9hG4bK-other"))
                .cseq(new io.tandem.softswitch.sip.message.CSeq(2, "INVITE")).build());
        SipResponse last = h.toCustomer().getLast();
        assertThat(last.status()).isEqualTo(482);
        assertThat(last.header(HeaderName.REASON)).contains("merged request");
        assertThat(h.engine.activeCallCount()).isEqualTo(1);
    }

    @Test
    void aCallIdNoCarrierSendsGets400BeforeAnyWork() {
        h.start();
        h.fromCustomer(h.invite("c".repeat(300)).build());
        SipResponse refusal = h.toCustomer().getLast();
        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.header(HeaderName.REASON)).isEqualTo("Q.850;cause=100;text=\"Call-ID longer than 255 octets\"");
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
        assertThat(h.settled).as("nothing to bill, nothing to store").isEmpty();
    }

    @Test
    void aNumberLongerThanACdrStoresGets484() {
        h.start();
        h.fromCustomer(h.invite("long-number").requestUri(io.tandem.softswitch.sip.message.SipUri.parse(
                "sip:" + "4".repeat(65) + "@192.0.2.1")).build());
        SipResponse refusal = h.toCustomer().getLast();
        assertThat(refusal.status()).isEqualTo(484);
        assertThat(refusal.header(HeaderName.REASON)).contains("callee number longer than 64");
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
    }

    // ------------------------------------------------------------------ TRYING / RINGING

    @Test
    void aProvisionalIsRelayedWithTheInvitesRecordRouteAndOurContact() {
        placeCall("ringing", "<sip:10.0.0.9;lr>", "<sip:10.0.0.8;lr>");
        h.vendorAnswers(VENDOR_A, 180);
        SipResponse ringing = h.toCustomer().getLast();
        assertThat(ringing.status()).isEqualTo(180);
        assertThat(ringing.headers().all(HeaderName.RECORD_ROUTE)).containsExactly("<sip:10.0.0.9;lr>", "<sip:10.0.0.8;lr>");
        assertThat(ringing.contacts().getFirst().uri().host()).isEqualTo("192.0.2.1");
        assertThat(h.engine.activeCalls().getFirst().state()).isEqualTo("ringing");
    }

    @Test
    void aFailoverCodeTriesTheNextVendorAndCountsAFailover() {
        placeCall("failover");
        h.vendorAnswers(VENDOR_A, 503);
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK");
        assertThat(h.vendorMethods(VENDOR_B)).containsExactly("INVITE");
        h.vendorAnswers(VENDOR_B, 200);
        assertThat(h.customerStatuses()).containsExactly(100, 200);
        assertThat(h.engine.stats().failovers()).isEqualTo(1);
        assertThat(h.engine.stats().vendorAttempts()).isEqualTo(2);
    }

    @Test
    void aRegisteredContactGetsTheInviteAtItsFlowWithTheNumberInItsContactUri() {
        SipDestination flow = SipDestination.udp("203.0.113.50", 5062);
        h.candidates = List.of(CallHarness.registeredCandidate(3, "pbx", 41), CallHarness.candidate(2, "vendor-b", VENDOR_B, null));
        h.registeredTargets = trunk -> trunk == 41
                ? java.util.Optional.of(new RegisteredTargets.Target(io.tandem.softswitch.sip.message.SipUri.parse("sip:alice@192.168.1.20:5062;ob"),
                        new java.net.InetSocketAddress("203.0.113.50", 5062), null))
                : java.util.Optional.empty();
        placeCall("registered");

        SipRequest invite = h.lastToVendor(flow, "INVITE");
        assertThat(invite.requestUri().toString()).isEqualTo("sip:442079460001@192.168.1.20:5062;ob");
        assertThat(invite.headers().all(HeaderName.ROUTE)).isEmpty();
        assertThat(h.vendorMethods(VENDOR_B)).isEmpty();
        h.vendorAnswers(flow, 486);
        assertThat(h.customerStatuses()).containsExactly(100, 486);
    }

    @Test
    void aContactGoneSinceRoutingWhenItWasTheOnlyVendorGetsTheRoutingTime480NotAllVendorsFailed() {
        h.candidates = List.of(CallHarness.registeredCandidate(3, "pbx", 41));
        placeCall("only-contact-gone");

        SipResponse refusal = h.toCustomer().getLast();
        assertThat(refusal.status()).isEqualTo(480);
        assertThat(refusal.reasonPhrase()).isEqualTo("Temporarily Unavailable");
        assertThat(refusal.header(HeaderName.REASON)).isEqualTo("Q.850;cause=20;text=\"not registered\"");
        assertThat(onlyCdr().sipCode()).isEqualTo(480);
        assertThat(h.engine.rejected("not-registered")).isEqualTo(1);
    }

    @Test
    void aContactGoneAfterAnotherVendorFailedStillEndsAsAllVendorsFailed() {
        h.candidates = List.of(CallHarness.candidate(2, "vendor-b", VENDOR_B, null), CallHarness.registeredCandidate(3, "pbx", 41));
        placeCall("contact-gone-after-vendor");
        h.vendorAnswers(VENDOR_B, 503);

        SipResponse refusal = h.toCustomer().getLast();
        assertThat(refusal.status()).isEqualTo(503);
        assertThat(refusal.header(HeaderName.REASON)).contains("all vendors failed (last 480)");
    }

    /** Three contacts of one trunk, best first: the first fails over, the second's connection is closed, the third answers. */
    @Test
    void aTrunksContactsAreTriedOneAfterTheOtherLikeVendorAttempts() {
        SipDestination first = SipDestination.udp("203.0.113.50", 5062);
        SipDestination third = SipDestination.udp("203.0.113.52", 5062);
        h.candidates = List.of(CallHarness.registeredCandidate(3, "pbx", 41), CallHarness.candidate(2, "vendor-b", VENDOR_B, null));
        h.registeredTargets = forks(List.of(
                contact("sip:alice@192.168.1.20:5062", "203.0.113.50", null),
                contact("sip:alice@192.168.1.21:5062;transport=tcp", "203.0.113.51", "the TCP connection it registered on is closed"),
                contact("sip:alice@192.168.1.22:5062", "203.0.113.52", null)));
        placeCall("forked");

        assertThat(h.lastToVendor(first, "INVITE").requestUri().host()).isEqualTo("192.168.1.20");
        h.vendorAnswers(first, 480);
        assertThat(h.lastToVendor(third, "INVITE").requestUri().host()).as("the unreachable second is passed over").isEqualTo("192.168.1.22");
        assertThat(h.vendorMethods(VENDOR_B)).as("the next vendor only after the trunk's contacts").isEmpty();
        h.vendorAnswers(third, 200);
        assertThat(h.customerStatuses()).containsExactly(100, 200);
        assertThat(h.engine.stats().vendorAttempts()).isEqualTo(2);
        assertThat(h.engine.stats().failovers()).isEqualTo(1);
    }

    @Test
    void aContactsOwnAnswerThatIsNoFailoverCodeEndsTheCallWithoutTryingTheNextContact() {
        SipDestination first = SipDestination.udp("203.0.113.50", 5062);
        h.candidates = List.of(CallHarness.registeredCandidate(3, "pbx", 41));
        h.registeredTargets = forks(List.of(contact("sip:alice@192.168.1.20:5062", "203.0.113.50", null),
                contact("sip:alice@192.168.1.22:5062", "203.0.113.52", null)));
        placeCall("busy-contact");

        h.vendorAnswers(first, 486);
        assertThat(h.customerStatuses()).containsExactly(100, 486);
        assertThat(h.vendorMethods(SipDestination.udp("203.0.113.52", 5062))).isEmpty();
    }

    @Test
    void whenEveryContactFailsTheLastOnesAnswerEndsTheHunt() {
        h.candidates = List.of(CallHarness.registeredCandidate(3, "pbx", 41));
        List<RegisteredTargets.Target> six = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(contact("sip:alice@192.168.1." + (20 + i) + ":5062", "203.0.113." + (50 + i), null));
        }
        h.registeredTargets = forks(six);
        placeCall("all-contacts-fail");

        for (int i = 0; i < RegisteredTargets.MAX_FORKED_CONTACTS; i++) {
            h.vendorAnswers(SipDestination.udp("203.0.113." + (50 + i), 5062), 503);
        }
        assertThat(h.vendorMethods(SipDestination.udp("203.0.113.55", 5062))).as("at most five contacts per call").isEmpty();
        SipResponse refusal = h.toCustomer().getLast();
        assertThat(refusal.status()).isEqualTo(503);
        assertThat(refusal.header(HeaderName.REASON)).contains("(last 503)");
        assertThat(h.settled.getFirst()).as("one CDR per contact tried").hasSize(RegisteredTargets.MAX_FORKED_CONTACTS);
    }

    private static RegisteredTargets.Target contact(String uri, String flowHost, String unreachable) {
        return new RegisteredTargets.Target(io.tandem.softswitch.sip.message.SipUri.parse(uri), new java.net.InetSocketAddress(flowHost, 5062),
                null, io.tandem.softswitch.sip.codec.SipTransport.UDP, unreachable);
    }

    /** Trunk 41's contacts in the order given. */
    private static RegisteredTargets forks(List<RegisteredTargets.Target> contacts) {
        return new RegisteredTargets() {
            @Override
            public java.util.Optional<Target> targetOf(long trunkId) {
                return targetsOf(trunkId).stream().findFirst();
            }

            @Override
            public List<Target> targetsOf(long trunkId) {
                return trunkId == 41 ? contacts : List.of();
            }
        };
    }

    @Test
    void aContactGoneSinceRoutingIsPassedOverForTheNextVendor() {
        h.candidates = List.of(CallHarness.registeredCandidate(3, "pbx", 41), CallHarness.candidate(2, "vendor-b", VENDOR_B, null));
        placeCall("unregistered");

        assertThat(h.vendorMethods(VENDOR_B)).containsExactly("INVITE");
        h.vendorAnswers(VENDOR_B, 200);
        assertThat(h.customerStatuses()).containsExactly(100, 200);
    }

    @Test
    void theCalleesOwnAnswerIsRelayedWithoutFailover() {
        placeCall("busy");
        h.vendorAnswers(VENDOR_A, 486);
        assertThat(h.vendorMethods(VENDOR_B)).isEmpty();
        assertThat(h.customerStatuses()).containsExactly(100, 486);
        CdrRecord cdr = onlyCdr();
        assertThat(cdr.sipCode()).isEqualTo(486);
        assertThat(cdr.vendorGatewayId()).isEqualTo(1L);
    }

    @Test
    void noTryingInTimeFailsOverToTheNextVendor() {
        placeCall("silent");
        h.clock.advance(h.settings.noTryingTimeout().toMillis());
        // No CANCEL before a provisional (RFC 3261 §9.1): the silent vendor's transaction just times out.
        assertThat(h.vendorMethods(VENDOR_A)).containsOnly("INVITE");
        assertThat(h.vendorMethods(VENDOR_B)).containsExactly("INVITE");
        h.vendorAnswers(VENDOR_B, 200);
        assertThat(h.inviteStatuses()).containsExactly(100, 200);
    }

    /**
     * Issue #15 overload: vendors that go silent while this node is itself overloaded (their answers
     * wait behind our backlog) keep their breakers closed, so calls reach them again the moment the
     * overload ends. The same silences without an overload of ours open the breaker as before.
     */
    @Test
    void vendorSilenceDuringTheNodesOwnOverloadNeverOpensItsBreaker() {
        h.start();
        h.overloaded = true;
        for (int i = 0; i < 25; i++) {
            h.fromCustomer(h.invite("overloaded-" + i).build());
            h.clock.advance(h.settings.noTryingTimeout().toMillis());
            h.clock.advance(h.settings.noTryingTimeout().toMillis());
        }
        assertThat(h.toVendor(VENDOR_A).stream().map(SipRequest::callId).distinct()).as("calls offered to vendor A").hasSize(25);
        assertThat(h.breakers.isOpen(1)).as("vendor A's breaker after 25 silences during our overload").isFalse();
        assertThat(h.breakers.isOpen(2)).isFalse();

        h.overloaded = false;
        for (int i = 0; i < 25; i++) {
            h.fromCustomer(h.invite("healthy-node-" + i).build());
            h.clock.advance(h.settings.noTryingTimeout().toMillis());
            h.clock.advance(h.settings.noTryingTimeout().toMillis());
        }
        assertThat(h.breakers.isOpen(1)).as("the same silences from a healthy node are the vendor's").isTrue();
    }

    @Test
    void whenEveryVendorFailsTheCustomerGets503WithTheLastStatus() {
        placeCall("exhausted");
        h.vendorAnswers(VENDOR_A, 503);
        h.vendorAnswers(VENDOR_B, 500);
        SipResponse last = h.toCustomer().getLast();
        assertThat(last.status()).isEqualTo(503);
        assertThat(last.header(HeaderName.REASON)).contains("all vendors failed (last 500)");
        assertThat(h.settled.getFirst()).extracting(CdrRecord::attempt).containsExactly(1, 2);
    }

    @Test
    void thePostDialDelayEndsTheHunt() {
        placeCall("slow");
        h.vendorAnswers(VENDOR_A, 180);
        h.clock.advance(h.settings.maxPostDialDelay().toMillis());
        assertThat(h.vendorMethods(VENDOR_A)).contains("CANCEL");
        assertThat(h.customerStatuses()).endsWith(503);
        assertThat(h.engine.activeCallCount()).isZero();
    }

    /** A call ringing at vendor A that the customer cancels. */
    void cancelWhileRinging(String callId) {
        SipRequest invite = placeCall(callId);
        h.vendorAnswers(VENDOR_A, 180);
        h.fromCustomer(invite.copy().method("CANCEL").cseq(new io.tandem.softswitch.sip.message.CSeq(1, "CANCEL")).noBody().build());
    }

    @Test
    void aCancelWhileRingingCancelsTheVendorAndAnswers487() {
        cancelWhileRinging("cancel");
        assertThat(h.vendorMethods(VENDOR_A)).contains("CANCEL");
        assertThat(h.customerStatuses()).contains(487);
        assertThat(onlyCdr().hangupSide()).isEqualTo(HangupSide.SWITCH);
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void a200AfterTheCancelIsAckedAndByedNotAnswered() {
        cancelWhileRinging("cancel-race");
        h.vendorAnswers(VENDOR_A, 200);
        assertThat(h.vendorMethods(VENDOR_A)).containsSubsequence("INVITE", "CANCEL", "ACK", "BYE");
        assertThat(h.inviteStatuses()).containsExactly(100, 180, 487);
        assertThat(h.engine.stats().answered()).isZero();
    }

    // ------------------------------------------------------------------ ANSWERED

    @Test
    void anAnsweredCallCarriesTheRouteSetAndTheCustomersByeEndsBothLegs() {
        SipRequest invite = answeredCall("answered", "<sip:10.0.0.9:5080;lr>");
        SipResponse ok = h.toCustomer().getLast();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers().all(HeaderName.RECORD_ROUTE)).containsExactly("<sip:10.0.0.9:5080;lr>");
        assertThat(h.lastToVendor(VENDOR_A, "ACK").to().tag()).isEqualTo("vendor-tag");
        assertThat(h.engine.activeCalls().getFirst().state()).isEqualTo("answered");
        assertThat(h.engine.activeCalls().getFirst().vendor()).isEqualTo("vendor-a");

        h.clock.advance(30_000);
        h.fromCustomer(h.customerInDialog(invite, "BYE", 2, ourTag()));
        assertThat(h.customerStatuses()).endsWith(200);
        SipRequest bye = h.lastToVendor(VENDOR_A, "BYE");
        assertThat(bye.to().tag()).isEqualTo("vendor-tag");
        assertThat(bye.requestUri().user()).isEqualTo("gw");
        CdrRecord cdr = onlyCdr();
        assertThat(cdr.hangupSide()).isEqualTo(HangupSide.CALLER);
        assertThat(cdr.durationMs()).isEqualTo(30_000);
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void whenTheMoneyRunsOutBothLegsGetAByeAndTheCustomersGoesThroughItsProxy() {
        h.grantSeconds = 60;
        SipRequest invite = answeredCall("credit", "<sip:10.0.0.9:5080;lr>");
        h.clock.advance(60_000);
        CallHarness.Sent bye = h.requestsToCustomerSide().getLast();
        assertThat(bye.request().method()).isEqualTo("BYE");
        assertThat(bye.to()).as("the BYE goes to the record-routing proxy").isEqualTo("10.0.0.9:5080");
        assertThat(bye.request().headers().all(HeaderName.ROUTE)).containsExactly("<sip:10.0.0.9:5080;lr>");
        assertThat(bye.request().requestUri().toString()).isEqualTo("sip:alice@198.51.100.7:5060");
        assertThat(bye.request().from().tag()).isEqualTo(ourTag());
        assertThat(bye.request().to().tag()).isEqualTo(invite.from().tag());
        assertThat(bye.request().header(HeaderName.REASON)).isEqualTo("Q.850;cause=16;text=\"credit exhausted\"");
        assertThat(h.vendorMethods(VENDOR_A)).endsWith("BYE");
        assertThat(onlyCdr().answeredAt().plusSeconds(60)).isEqualTo(onlyCdr().endedAt());
    }

    @Test
    void anExtensionMovesTheHangUp() {
        h.grantSeconds = 60;
        answeredCall("extended");
        h.extendWith = new Authorization.Granted(UUID.randomUUID(), 42, null, null, null, 120);
        h.clock.advance(60_000);
        assertThat(h.engine.activeCallCount()).isEqualTo(1);
        h.clock.advance(60_000);
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void aVendorByeWithAForeignTagGets481AndTheCallStaysUp() {
        answeredCall("spoofed-bye");
        h.fromVendor(VENDOR_A, h.vendorInDialog(VENDOR_A, "BYE", 1, "not-the-vendor"));
        assertThat(h.engine.activeCallCount()).isEqualTo(1);
        h.fromVendor(VENDOR_A, h.vendorInDialog(VENDOR_A, "BYE", 2, "vendor-tag"));
        assertThat(h.engine.activeCallCount()).isZero();
        assertThat(onlyCdr().hangupSide()).isEqualTo(HangupSide.CALLEE);
        assertThat(h.requestsToCustomerSide().getLast().request().method()).isEqualTo("BYE");
    }

    @Test
    void aCustomerRequestWithTheRightCallIdButAWrongTagGets481() {
        SipRequest invite = answeredCall("spoofed-reinvite");
        h.fromCustomer(h.customerInDialog(invite, "INVITE", 2, "guessed-tag"));
        assertThat(h.customerStatuses()).endsWith(481);
        assertThat(h.vendorMethods(VENDOR_A)).doesNotContain("BYE").filteredOn("INVITE"::equals).hasSize(1);
    }

    @Test
    void aReInviteIsRelayedAndASecondOneMeanwhileGets491() {
        SipRequest invite = answeredCall("reinvite");
        h.fromCustomer(h.customerInDialog(invite, "INVITE", 2, ourTag()));
        SipRequest relayed = h.lastToVendor(VENDOR_A, "INVITE");
        assertThat(relayed.to().tag()).isEqualTo("vendor-tag");
        assertThat(relayed.cseq().sequence()).isEqualTo(2);
        h.fromVendor(VENDOR_A, h.vendorInDialog(VENDOR_A, "INVITE", 1, "vendor-tag"));
        assertThat(h.wire.getLast().response().status()).isEqualTo(491);
        h.answerLast(CallHarness.label(VENDOR_A), "INVITE", 200);
        assertThat(h.vendorMethods(VENDOR_A)).endsWith("ACK");
        assertThat(h.customerStatuses()).endsWith(200);
    }

    @Test
    void theSessionTimerEndsACallThatIsNotRefreshedAndARefreshKeepsItUp() {
        h.start();
        SipRequest invite = h.invite("session").header(HeaderName.SUPPORTED, "timer").header(HeaderName.SESSION_EXPIRES, "120").build();
        h.fromCustomer(invite);
        h.vendorAnswers(VENDOR_A, 200);
        h.customerAcks(invite, ourTag());
        assertThat(h.toCustomer().getLast().header(HeaderName.SESSION_EXPIRES)).isEqualTo("120;refresher=uac");
        h.clock.advance(80_000);
        h.fromCustomer(h.customerInDialog(invite, "UPDATE", 2, ourTag()));
        h.answerLast(CallHarness.label(VENDOR_A), "UPDATE", 200);
        h.clock.advance(80_000);
        assertThat(h.engine.activeCallCount()).as("refreshed at 80 s, good until 200 s").isEqualTo(1);
        h.clock.advance(40_000);
        assertThat(h.engine.activeCallCount()).isZero();
        assertThat(h.requestsToCustomerSide().getLast().request().header(HeaderName.REASON)).contains("session timer expired");
    }

    @Test
    void anOperatorHangUpBeforeTheAnswerCancelsAndAnswers503Cause16() {
        placeCall("operator");
        h.vendorAnswers(VENDOR_A, 180);
        UUID id = h.engine.activeCalls().getFirst().id();
        assertThat(h.engine.hangUp(id)).isTrue();
        SipResponse last = h.toCustomer().getLast();
        assertThat(last.status()).isEqualTo(503);
        assertThat(last.header(HeaderName.REASON)).isEqualTo("Q.850;cause=16;text=\"hung up by operator\"");
        assertThat(h.vendorMethods(VENDOR_A)).contains("CANCEL");
        assertThat(h.engine.whenEmpty()).isDone();
    }

    /** A media side that refuses every offer with {@code refusal}, or reports {@code figures} when closed. */
    record FakeMedia(CallRejection refusal, CdrMediaStats figures) implements MediaAnchor {
        @Override
        public MessageBody towardVendor(MessageBody fromCustomer) {
            return fromCustomer;
        }

        @Override
        public MessageBody towardCustomer(MessageBody fromVendor) {
            return fromVendor;
        }

        @Override
        public java.util.concurrent.CompletionStage<CdrMediaStats> closed() {
            return java.util.concurrent.CompletableFuture.completedFuture(figures);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anOfferThatMustBeAnchoredAndCannotBeIsRefused488WithAWarningAndNoVendorIsTried() {
        h.media = (call, loop) -> new FakeMedia(new CallRejection.MediaNotAcceptable("SDP line 3 is not <type>=<value>"), null);
        placeCall("bad-sdp");
        SipResponse refusal = h.toCustomer().getLast();
        assertThat(refusal.status()).isEqualTo(488);
        assertThat(refusal.reasonPhrase()).isEqualTo("Not Acceptable Here");
        assertThat(refusal.header(HeaderName.WARNING)).isEqualTo("399 tandem \"SDP cannot be anchored: SDP line 3 is not <type>=<value>\"");
        assertThat(refusal.header(HeaderName.REASON)).startsWith("Q.850;cause=88;");
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
        assertThat(onlyCdr().sipCode()).isEqualTo(488);
        assertThat(h.engine.rejected("media-not-acceptable")).isEqualTo(1);
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void anOfferFindingNoMediaPortIsRefused503WithRetryAfter() {
        h.media = (call, loop) -> new FakeMedia(new CallRejection.NoMediaPorts(), null);
        placeCall("no-ports");
        SipResponse refusal = h.toCustomer().getLast();
        assertThat(refusal.status()).isEqualTo(503);
        assertThat(refusal.header(HeaderName.REASON)).isEqualTo("Q.850;cause=47;text=\"no free media port\"");
        assertThat(refusal.header(HeaderName.RETRY_AFTER)).isEqualTo("5");
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
    }

    @Test
    void theAnsweredAttemptsCdrCarriesTheMediaFigures() {
        CdrMediaStats figures = new CdrMediaStats(new CdrMediaStats.Direction(1500, 258_000, 1, 2),
                new CdrMediaStats.Direction(1490, 256_280, 0, 4));
        h.media = (call, loop) -> new FakeMedia(null, figures);
        SipRequest invite = answeredCall("with-media");
        h.clock.advance(30_000);
        h.fromCustomer(h.customerInDialog(invite, "BYE", 2, ourTag()));
        assertThat(onlyCdr().media()).isEqualTo(figures);
    }

    /**
     * A media side that anchors everything but the answers (18x/2xx SDP) naming {@code badHost}: those it cannot
     * anchor, as the relay cannot an SDP that does not parse.
     */
    static final class AnswerRefusingMedia implements MediaAnchor {
        private final String badHost;
        private CallRejection refusal;

        AnswerRefusingMedia(String badHost) {
            this.badHost = badHost;
        }

        @Override
        public MessageBody towardVendor(MessageBody fromCustomer) {
            refusal = null;
            return fromCustomer;
        }

        @Override
        public MessageBody towardCustomer(MessageBody fromVendor) {
            boolean bad = fromVendor != null && new String(fromVendor.content(), java.nio.charset.StandardCharsets.US_ASCII).contains(badHost);
            refusal = bad ? new CallRejection.MediaNotAcceptable("SDP line 4 is not <type>=<value>") : null;
            return fromVendor;
        }

        @Override
        public CallRejection refusal() {
            return refusal;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aTwoHundredWhoseSdpCannotBeAnchoredIsAckedAndByedAndTheNextVendorAnswers() {
        h.media = (call, loop) -> new AnswerRefusingMedia(VENDOR_A.host());
        SipRequest invite = placeCall("bad-answer");
        h.vendorAnswers(VENDOR_A, 100);
        h.vendorAnswers(VENDOR_A, 200);
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK", "BYE");
        assertThat(h.lastToVendor(VENDOR_A, "BYE").header(HeaderName.REASON))
                .isEqualTo("Q.850;cause=88;text=\"SDP cannot be anchored: SDP line 4 is not <type>=<value>\"");
        assertThat(h.customerStatuses()).as("the customer never saw that answer").containsExactly(100);
        assertThat(h.vendorMethods(VENDOR_B)).containsExactly("INVITE");

        h.vendorAnswers(VENDOR_B, 200);
        assertThat(h.customerStatuses()).containsExactly(100, 200);
        assertThat(new String(h.toCustomer().getLast().body(), java.nio.charset.StandardCharsets.US_ASCII)).contains(VENDOR_B.host());
        h.customerAcks(invite, ourTag());
        h.clock.advance(10_000);
        h.fromCustomer(h.customerInDialog(invite, "BYE", 2, ourTag()));
        assertThat(h.settled).hasSize(1);
        List<CdrRecord> cdrs = h.settled.getFirst();
        assertThat(cdrs).hasSize(2);
        assertThat(cdrs.get(0).sipCode()).isEqualTo(488);
        assertThat(cdrs.get(0).sipReason()).isEqualTo("SDP cannot be anchored: SDP line 4 is not <type>=<value>");
        assertThat(cdrs.get(0).answeredAt()).as("never answered the call: not billed").isNull();
        assertThat(cdrs.get(1).sipCode()).isEqualTo(200);
        assertThat(cdrs.get(1).answeredAt()).isNotNull();
        assertThat(h.engine.stats().failovers()).isEqualTo(1);
    }

    @Test
    void earlyMediaWhoseSdpCannotBeAnchoredIsCancelledAndTheNextVendorIsTried() {
        h.media = (call, loop) -> new AnswerRefusingMedia(VENDOR_A.host());
        placeCall("bad-early-media");
        h.vendorAnswers(VENDOR_A, 100);
        h.vendorEarlyMedia(VENDOR_A);
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "CANCEL");
        assertThat(h.customerStatuses()).as("the 183 is not relayed").containsExactly(100);
        assertThat(h.vendorMethods(VENDOR_B)).containsExactly("INVITE");
        h.vendorAnswers(VENDOR_A, 487);
        h.vendorAnswers(VENDOR_B, 200);
        assertThat(h.customerStatuses()).containsExactly(100, 200);
    }

    @Test
    void whenTheLastVendorsAnswerCannotBeAnchoredTheCustomerGets503() {
        h.media = (call, loop) -> new AnswerRefusingMedia("203.0.113.");
        placeCall("no-good-answer");
        h.vendorAnswers(VENDOR_A, 200);
        h.vendorAnswers(VENDOR_B, 200);
        assertThat(h.vendorMethods(VENDOR_B)).containsExactly("INVITE", "ACK", "BYE");
        SipResponse last = h.toCustomer().getLast();
        assertThat(last.status()).isEqualTo(503);
        assertThat(last.header(HeaderName.REASON)).contains("all vendors failed (last 488)");
        assertThat(h.settled.getFirst()).extracting(CdrRecord::sipCode).containsExactly(488, 488);
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void whenTheMediaMovedBeforeAnswerTheVendorGetsAReInviteWithTheNewOfferAfterItsAck() {
        MessageBody moved = new MessageBody("application/sdp", ("v=0\r\no=tandem 1 2 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\n"
                + "t=0 0\r\nm=audio 20002 RTP/AVP 0\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.util.List<MessageBody> answersToReoffer = new java.util.ArrayList<>();
        h.media = (call, loop) -> new MediaAnchor() {
            private boolean reoffered;

            @Override
            public MessageBody towardVendor(MessageBody fromCustomer) {
                return fromCustomer;
            }

            @Override
            public MessageBody towardCustomer(MessageBody fromVendor) {
                if (reoffered) {
                    answersToReoffer.add(fromVendor);
                }
                return fromVendor;
            }

            @Override
            public MessageBody reofferTowardVendor() {
                if (reoffered) {
                    return null;
                }
                reoffered = true;
                return moved;
            }

            @Override
            public void close() {
            }
        };
        SipRequest invite = answeredCall("media-moved");
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK", "INVITE");
        SipRequest first = h.toVendor(VENDOR_A).getFirst();
        SipRequest reInvite = h.lastToVendor(VENDOR_A, "INVITE");
        assertThat(reInvite.body()).isEqualTo(moved.content());
        assertThat(reInvite.to().tag()).as("inside the vendor's dialog").isEqualTo("vendor-tag");
        assertThat(reInvite.callId()).isEqualTo(first.callId());
        assertThat(reInvite.cseq().sequence()).isGreaterThan(first.cseq().sequence());
        h.answerLast(CallHarness.label(VENDOR_A), "INVITE", 200);
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK", "INVITE", "ACK");
        assertThat(h.customerStatuses()).as("the customer sees nothing of it").containsExactly(100, 180, 200);
        h.fromCustomer(h.customerInDialog(invite, "BYE", 2, ourTag()));
        assertThat(h.vendorMethods(VENDOR_A)).endsWith("BYE");
        assertThat(h.engine.activeCallCount()).isZero();
    }

    /** A media side that marks what crosses it, as a relay rewrites SDP: each body gets a line naming its direction. */
    static final class MarkingMedia implements MediaAnchor {
        @Override
        public MessageBody towardVendor(MessageBody fromCustomer) {
            return mark(fromCustomer, "a=crossed:toward-vendor");
        }

        @Override
        public MessageBody towardCustomer(MessageBody fromVendor) {
            return mark(fromVendor, "a=crossed:toward-customer");
        }

        private static MessageBody mark(MessageBody body, String line) {
            return body == null ? null : new MessageBody(body.contentType(),
                    (new String(body.content(), java.nio.charset.StandardCharsets.US_ASCII) + line + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        @Override
        public void close() {
        }
    }

    static final String CUSTOMER_ANSWER = "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";

    @Test
    void aLateOfferCallsVendorAckCarriesTheCustomersAnswerAcrossTheMediaSide() {
        h.media = (call, loop) -> new MarkingMedia();
        h.start();
        SipRequest invite = h.invite("late-offer").noBody().build();
        h.fromCustomer(invite);
        assertThat(h.lastToVendor(VENDOR_A, "INVITE").bodyLength()).as("no offer toward the vendor either").isZero();
        h.vendorAnswers(VENDOR_A, 100);
        h.vendorAnswers(VENDOR_A, 200);
        SipResponse ok = h.toCustomer().getLast();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(new String(ok.body(), java.nio.charset.StandardCharsets.US_ASCII)).as("the vendor's offer, across the media side")
                .contains("c=IN IP4 " + VENDOR_A.host()).contains("a=crossed:toward-customer");
        assertThat(h.vendorMethods(VENDOR_A)).as("the vendor's ACK waits for the customer's answer").containsExactly("INVITE");
        h.vendorAnswers(VENDOR_A, 200); // the vendor retransmits its 200 meanwhile
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE");

        h.customerAcksWithAnswer(invite, ourTag(), CUSTOMER_ANSWER);
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK");
        SipRequest ack = h.lastToVendor(VENDOR_A, "ACK");
        assertThat(ack.contentType()).isEqualTo("application/sdp");
        assertThat(new String(ack.body(), java.nio.charset.StandardCharsets.US_ASCII)).contains("c=IN IP4 198.51.100.7")
                .contains("a=crossed:toward-vendor");
        assertThat(ack.to().tag()).isEqualTo("vendor-tag");
        h.customerAcksWithAnswer(invite, ourTag(), CUSTOMER_ANSWER); // a retransmitted ACK is not relayed again
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK");

        h.clock.advance(10_000);
        h.fromCustomer(h.customerInDialog(invite, "BYE", 2, ourTag()));
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK", "BYE");
        assertThat(onlyCdr().sipCode()).isEqualTo(200);
    }

    @Test
    void aLateOfferCustomersAnswerThatCannotBeAnchoredEndsTheCallBothWays() {
        h.media = (call, loop) -> new MediaAnchor.PassThrough() {
            private CallRejection refusal;

            @Override
            public MessageBody towardVendor(MessageBody fromCustomer) {
                refusal = fromCustomer == null ? null : new CallRejection.MediaNotAcceptable("SDP line 2 is not <type>=<value>");
                return fromCustomer;
            }

            @Override
            public MessageBody towardCustomer(MessageBody fromVendor) {
                refusal = null;
                return super.towardCustomer(fromVendor);
            }

            @Override
            public CallRejection refusal() {
                return refusal;
            }
        };
        h.start();
        SipRequest invite = h.invite("late-offer-bad-answer").noBody().build();
        h.fromCustomer(invite);
        h.vendorAnswers(VENDOR_A, 200);
        h.customerAcksWithAnswer(invite, ourTag(), CUSTOMER_ANSWER);
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK", "BYE");
        assertThat(h.lastToVendor(VENDOR_A, "ACK").bodyLength()).as("an answer the relay cannot take is not sent on").isZero();
        assertThat(h.lastToVendor(VENDOR_A, "BYE").header(HeaderName.REASON))
                .isEqualTo("Q.850;cause=16;text=\"SDP cannot be anchored: SDP line 2 is not <type>=<value>\"");
        assertThat(h.requestsToCustomerSide()).extracting(sent -> sent.request().method()).containsExactly("BYE");
        assertThat(onlyCdr().sipReason()).isEqualTo("SDP cannot be anchored: SDP line 2 is not <type>=<value>");
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void aLateOfferCallsVendorAckWaitsUntilTheMediaSideKnowsTheCustomersAnswer() {
        SlowMedia media = new SlowMedia();
        h.media = (call, loop) -> media;
        h.start();
        SipRequest invite = h.invite("late-offer-slow-node").noBody().build();
        h.fromCustomer(invite);
        h.vendorAnswers(VENDOR_A, 200);
        media.ready.complete(null);
        assertThat(h.customerStatuses()).containsExactly(100, 200);
        media.ready = new java.util.concurrent.CompletableFuture<>(); // the update carrying the customer's answer
        h.customerAcksWithAnswer(invite, ourTag(), CUSTOMER_ANSWER);
        assertThat(h.vendorMethods(VENDOR_A)).as("the node does not know where the customer is yet").containsExactly("INVITE");
        media.ready.complete(null);
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK");
        assertThat(h.lastToVendor(VENDOR_A, "ACK").bodyLength()).isPositive();
        h.clock.advance(Call.MEDIA_READY_WAIT_MS);
        assertThat(h.vendorMethods(VENDOR_A)).as("once").containsExactly("INVITE", "ACK");
    }

    @Test
    void aReInviteWithoutAnOfferGetsTheVendorsOfferAndOurAckToTheVendorCarriesTheCustomersAnswer() {
        h.media = (call, loop) -> new MarkingMedia();
        SipRequest invite = answeredCall("reinvite-late-offer");
        h.fromCustomer(h.customerInDialog(invite, "INVITE", 2, ourTag())); // a session refresh without SDP
        SipRequest reInvite = h.lastToVendor(VENDOR_A, "INVITE");
        assertThat(reInvite.bodyLength()).isZero();
        h.answerLastWithSdp(CallHarness.label(VENDOR_A), "INVITE", 200, "v=0\r\no=- 2 3 IN IP4 " + VENDOR_A.host() + "\r\ns=-\r\nc=IN IP4 "
                + VENDOR_A.host() + "\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n");
        assertThat(h.vendorMethods(VENDOR_A)).as("our ACK waits for the customer's answer").containsExactly("INVITE", "ACK", "INVITE");
        SipResponse ok = h.toCustomer().getLast();
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.cseq().sequence()).isEqualTo(2);
        assertThat(new String(ok.body(), java.nio.charset.StandardCharsets.US_ASCII)).contains("a=crossed:toward-customer");

        h.fromCustomer(h.customerInDialog(invite, "ACK", 2, ourTag()).copy()
                .body("application/sdp", CUSTOMER_ANSWER.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).build());
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK", "INVITE", "ACK");
        SipRequest ack = h.lastToVendor(VENDOR_A, "ACK");
        assertThat(ack.cseq().sequence()).isEqualTo(reInvite.cseq().sequence());
        assertThat(new String(ack.body(), java.nio.charset.StandardCharsets.US_ASCII)).contains("c=IN IP4 198.51.100.7")
                .contains("a=crossed:toward-vendor");
        h.fromCustomer(h.customerInDialog(invite, "BYE", 3, ourTag()));
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void anEarlyOfferCallsVendorIsAckedAtOnceWithoutABody() {
        SipRequest invite = answeredCall("early-offer");
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK");
        assertThat(h.lastToVendor(VENDOR_A, "ACK").bodyLength()).isZero();
        h.fromCustomer(h.customerInDialog(invite, "BYE", 2, ourTag()));
    }

    @Test
    void aLateOfferCallEndedBeforeTheCustomersAckAcksTheVendorBeforeItsBye() {
        h.start();
        SipRequest invite = h.invite("late-offer-bye").noBody().build();
        h.fromCustomer(invite);
        h.vendorAnswers(VENDOR_A, 200);
        h.fromCustomer(h.customerInDialog(invite, "BYE", 2, ourTag()));
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE", "ACK", "BYE");
        assertThat(h.engine.activeCallCount()).isZero();
    }

    /**
     * A media side that passes bodies, like a remote media node: the vendor's INVITE waits for {@link #offer} (the
     * node acknowledging the offer's update; at once unless a test says otherwise), everything after the first body
     * from the vendor's side waits for {@link #ready}, which the test completes.
     */
    static final class SlowMedia extends MediaAnchor.PassThrough {
        java.util.concurrent.CompletableFuture<Void> offer = java.util.concurrent.CompletableFuture.completedFuture(null);
        java.util.concurrent.CompletableFuture<Void> ready = new java.util.concurrent.CompletableFuture<>();
        private boolean heardFromVendor;

        @Override
        public MessageBody towardCustomer(MessageBody fromVendor) {
            heardFromVendor = true;
            return super.towardCustomer(fromVendor);
        }

        @Override
        public java.util.concurrent.CompletionStage<Void> ready() {
            return heardFromVendor ? ready : offer;
        }
    }

    /** The call's media side, a node that has not acknowledged the offer's update yet. */
    private SlowMedia offerNotYetKnown() {
        SlowMedia media = new SlowMedia();
        media.offer = new java.util.concurrent.CompletableFuture<>();
        h.media = (call, loop) -> media;
        return media;
    }

    @Test
    void theVendorsInviteWaitsUntilTheMediaSideKnowsItsOffer() {
        SlowMedia media = offerNotYetKnown();
        SipRequest invite = placeCall("offer-slow-node");
        assertThat(h.vendorMethods(VENDOR_A)).as("no vendor may send early media to ports the node has not bound").isEmpty();
        assertThat(h.customerStatuses()).containsExactly(100);
        media.offer.complete(null);
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE");
        h.vendorAnswers(VENDOR_A, 183);
        h.vendorAnswers(VENDOR_A, 200);
        media.ready.complete(null);
        assertThat(h.customerStatuses()).containsExactly(100, 183, 200);
        h.customerAcks(invite, ourTag());
        h.fromCustomer(h.customerInDialog(invite, "BYE", 2, ourTag()));
        assertThat(onlyCdr().sipCode()).isEqualTo(200);
        h.clock.advance(Call.MEDIA_READY_WAIT_MS); // the bound passes: still one INVITE (the BYE may be retransmitted)
        assertThat(h.vendorMethods(VENDOR_A)).as("one INVITE").containsOnlyOnce("INVITE");
    }

    @Test
    void theVendorsInviteWaitsForTheMediaSideAtMostOneSecond() {
        SlowMedia media = offerNotYetKnown();
        placeCall("offer-node-silent");
        h.clock.advance(Call.MEDIA_READY_WAIT_MS - 1);
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
        h.clock.advance(1);
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE");
        media.offer.complete(null);
        assertThat(h.vendorMethods(VENDOR_A)).as("once").containsExactly("INVITE");
    }

    @Test
    void aCancelWhileTheInviteWaitsForTheMediaSideSendsTheVendorNothingAndAnswers487() {
        SlowMedia media = offerNotYetKnown();
        SipRequest invite = placeCall("cancel-offer-waits");
        h.fromCustomer(invite.copy().method("CANCEL").cseq(new io.tandem.softswitch.sip.message.CSeq(1, "CANCEL")).noBody().build());
        assertThat(h.inviteStatuses()).containsExactly(100, 487);
        media.offer.complete(null);
        h.clock.advance(Call.MEDIA_READY_WAIT_MS);
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
        assertThat(onlyCdr().sipCode()).isEqualTo(487);
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void theCustomers200WaitsUntilTheMediaSideIsReady() {
        SlowMedia media = new SlowMedia();
        h.media = (call, loop) -> media;
        SipRequest invite = placeCall("media-ready");
        h.vendorAnswers(VENDOR_A, 180);
        h.vendorAnswers(VENDOR_A, 200);
        assertThat(h.vendorMethods(VENDOR_A)).as("the vendor is ACKed at once").containsExactly("INVITE", "ACK");
        assertThat(h.customerStatuses()).as("no 200 before the media node knows the vendor's address").containsExactly(100, 180);
        media.ready.complete(null); // the hand-moved loop runs what the completion posts at once
        assertThat(h.customerStatuses()).containsExactly(100, 180, 200);
        h.customerAcks(invite, ourTag());
        h.fromCustomer(h.customerInDialog(invite, "BYE", 2, ourTag()));
        assertThat(onlyCdr().sipCode()).isEqualTo(200);
    }

    @Test
    void theCustomers200WaitsForTheMediaSideAtMostOneSecond() {
        h.media = (call, loop) -> new SlowMedia();
        placeCall("media-never-ready");
        h.vendorAnswers(VENDOR_A, 200);
        h.clock.advance(Call.MEDIA_READY_WAIT_MS - 1);
        assertThat(h.customerStatuses()).containsExactly(100);
        h.clock.advance(1);
        assertThat(h.customerStatuses()).containsExactly(100, 200);
    }

    @Test
    void aVendorByeWhileThe200WaitsSendsThe200AndThenTheBye() {
        h.media = (call, loop) -> new SlowMedia();
        SipRequest invite = placeCall("bye-while-waiting");
        h.vendorAnswers(VENDOR_A, 200);
        h.fromVendor(VENDOR_A, h.vendorInDialog(VENDOR_A, "BYE", 1, "vendor-tag"));
        assertThat(h.customerStatuses()).containsExactly(100, 200);
        assertThat(h.requestsToCustomerSide()).extracting(sent -> sent.request().method()).containsExactly("BYE");
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void aByeBeforeTheAckEndsTheCall() {
        SipRequest invite = answeredCall("bye-before-ack");
        h.fromCustomer(h.customerInDialog(invite, "BYE", 2, ourTag()));
        assertThat(h.engine.activeCallCount()).isZero();
        assertThat(h.vendorMethods(VENDOR_A)).endsWith("BYE");
    }

    @Test
    void aReasonFromAVendorCannotBreakOutOfItsQuotes() {
        assertThat(SipRejection.reasonHeader(16, "evil\"\r\nX-Injected: 1\\"))
                .isEqualTo("Q.850;cause=16;text=\"evil'  X-Injected: 1'\"");
    }

    // ------------------------------------------------------------------ threading

    @Test
    void everyTransactionAndTimerOfACallRunsOnTheCallsLoopWithManyLoops() {
        ManualClock[] loops = new ManualClock[64];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new ManualClock();
        }
        // Every B-leg Call-ID hashes to some other loop than its call's: nothing may follow it there.
        h.loops = callId -> callId.endsWith("@tandem") ? loops[63] : loops[(callId.hashCode() & Integer.MAX_VALUE) % 63];
        String callId = "many-loops";
        TransactionExecutor callLoop = h.loops.apply(callId);
        SipRequest invite = placeCall(callId);
        h.vendorAnswers(VENDOR_A, 503);
        h.vendorAnswers(VENDOR_B, 200);
        h.fromCustomer(h.customerInDialog(invite, "BYE", 2, ourTag()));
        assertThat(h.clientExecutors).hasSizeGreaterThanOrEqualTo(3).allMatch(executor -> executor == callLoop);
        assertThat(loops[63].pending()).as("no timer of the call on the B-legs' loop").isZero();
        assertThat(h.engine.activeCallCount()).isZero();
    }

    @Test
    void observersHearTheCallsLife() {
        answeredCall("observed");
        assertThat(h.events).hasAtLeastOneElementOfType(CallEvent.Started.class)
                .hasAtLeastOneElementOfType(CallEvent.AttemptStarted.class);
        assertThat(h.events.stream().filter(CallEvent.StateChanged.class::isInstance).map(e -> ((CallEvent.StateChanged) e).state()))
                .containsExactly(CallState.TRYING, CallState.RINGING, CallState.ANSWERED);
    }

}
