package io.tandem.softswitch.capture;

import static io.tandem.softswitch.capture.CaptureFixtures.CUSTOMER;
import static io.tandem.softswitch.capture.CaptureFixtures.VENDOR;
import static io.tandem.softswitch.capture.CaptureFixtures.message;
import static io.tandem.softswitch.capture.CaptureFixtures.started;
import static io.tandem.softswitch.sip.transport.WireMessage.Direction.IN;
import static io.tandem.softswitch.sip.transport.WireMessage.Direction.OUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.cdr.HangupSide;
import io.tandem.softswitch.call.CallEvent;
import io.tandem.softswitch.sip.transport.WireMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Calls put together from the wire and the call events, on a hand-moved clock: what an operator
 * opening a call's ladder would find, and what the caps leave out.
 */
class CallCaptureAssemblerTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private CaptureSettings settings = new CaptureSettings(200, 64 * 1024, 1024 * 1024, 1024 * 1024, Duration.ofMinutes(10),
        Duration.ofSeconds(5), 1024);
    private CaptureStore store = new CaptureStore(settings, now::get);
    private CallCaptureAssembler assembler = new CallCaptureAssembler(settings, now::get,
        capture -> store.put(capture.callId(), CaptureCodec.encode(capture)));

    private void use(CaptureSettings s) {
        settings = s;
        store = new CaptureStore(s, now::get);
        assembler = new CallCaptureAssembler(s, now::get, capture -> store.put(capture.callId(), CaptureCodec.encode(capture)));
    }

    /** The customer's INVITE on {@code leg}, all of one size. */
    private static WireMessage invite(long epochMicros, String leg) {
        return message(epochMicros, IN, CUSTOMER, leg, "INVITE sip:44@switch SIP/2.0");
    }

    /** Calls in progress may hold three and a half of those INVITEs together. */
    private void useALiveCapOfThreeInvitesAndAHalf() {
        int size = invite(1, "x").octets().length;
        use(new CaptureSettings(200, 64 * 1024, 3L * size + size / 2, 1024 * 1024, Duration.ofMinutes(10), Duration.ZERO, 1024));
    }

    @Test
    void bothLegsOfACallAreKeptInOrderWithTheInviteReadBeforeTheCallWasAdmitted() {
        UUID id = UUID.randomUUID();
        WireMessage invite = message(1, IN, CUSTOMER, "a-leg", "INVITE sip:44@switch SIP/2.0");
        assembler.accept(invite);
        assembler.on(started(id, "a-leg"));
        assembler.accept(message(2, OUT, CUSTOMER, "a-leg", "SIP/2.0 100 Trying"));
        assembler.accept(message(3, OUT, VENDOR, "b-leg", "INVITE sip:44@vendor SIP/2.0"));
        assembler.on(new CallEvent.AttemptStarted(id, 1, "b-leg", 7));
        assembler.accept(message(4, IN, VENDOR, "b-leg", "SIP/2.0 200 OK"));
        assembler.accept(message(5, OUT, CUSTOMER, "a-leg", "SIP/2.0 200 OK"));

        CallCapture live = assembler.find(id).orElseThrow();
        assertThat(live.live()).isTrue();
        assertThat(live.messages()).extracting(WireMessage::epochMicros).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(live.legs()).containsExactly(new CaptureLeg("a-leg", 0, 0), new CaptureLeg("b-leg", 1, 7));

        assembler.on(new CallEvent.Ended(id, HangupSide.CALLER, 200, "bye"));
        now.addAndGet(4_000);
        assembler.accept(message(6, IN, CUSTOMER, "a-leg", "ACK sip:switch SIP/2.0"));
        assembler.tick();
        assertThat(store.get(id)).as("still lingering for late retransmissions").isEmpty();

        now.addAndGet(1_000);
        assembler.tick();
        assertThat(assembler.find(id)).isEmpty();
        CallCapture stored = CaptureCodec.decode(store.get(id).orElseThrow());
        assertThat(stored.live()).isFalse();
        assertThat(stored.messages()).hasSize(6);
        assertThat(stored.messages().getFirst().octets()).isEqualTo(invite.octets());
        assertThat(stored.messages().getFirst().remote()).isEqualTo(CUSTOMER);
        assertThat(stored.legOf(stored.messages().get(3))).isEqualTo(new CaptureLeg("b-leg", 1, 7));
        assertThat(assembler.liveBytes()).isZero();
        assertThat(store.bytes()).as("compressed").isLessThan(6L * invite.octets().length);
    }

    @Test
    void aCallWithMoreMessagesThanItsCapKeepsTheNewestAndCountsTheRest() {
        use(new CaptureSettings(3, 64 * 1024, 1024 * 1024, 1024 * 1024, Duration.ofMinutes(10), Duration.ZERO, 1024));
        UUID id = UUID.randomUUID();
        assembler.on(started(id, "chatty"));
        for (int i = 1; i <= 5; i++) {
            assembler.accept(message(i, IN, CUSTOMER, "chatty", "INFO sip:switch SIP/2.0"));
        }
        CallCapture live = assembler.find(id).orElseThrow();
        assertThat(live.messages()).extracting(WireMessage::epochMicros).containsExactly(3L, 4L, 5L);
        assertThat(live.dropped()).isEqualTo(2);
        assertThat(assembler.droppedByCaps()).isEqualTo(2);
    }

    @Test
    void whenAllLiveCallsTogetherPassTheirCapTheOldestCallsOldestMessagesGo() {
        useALiveCapOfThreeInvitesAndAHalf();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        assembler.on(started(first, "old"));
        assembler.on(started(second, "new"));
        assembler.accept(invite(1, "old"));
        assembler.accept(invite(2, "old"));
        assembler.accept(invite(3, "new"));
        assembler.accept(invite(4, "new"));

        assertThat(assembler.find(first).orElseThrow().messages()).extracting(WireMessage::epochMicros).containsExactly(2L);
        assertThat(assembler.find(second).orElseThrow().messages()).extracting(WireMessage::epochMicros).containsExactly(3L, 4L);
        assertThat(assembler.liveBytes()).isLessThanOrEqualTo(settings.maxLiveBytes());
    }

    @Test
    void aCallTheLiveCapEmptiedKeepsWhatItCapturesNextWhileOlderMessagesGoFirst() {
        useALiveCapOfThreeInvitesAndAHalf();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        assembler.on(started(a, "a"));
        assembler.on(started(b, "b"));
        assembler.on(started(c, "c"));
        assembler.accept(invite(1, "a"));
        assembler.accept(invite(2, "b"));
        assembler.accept(invite(3, "c"));
        assembler.accept(invite(4, "c"));
        assertThat(assembler.find(a).orElseThrow().messages()).as("the oldest message went").isEmpty();

        assembler.accept(invite(5, "a"));
        assembler.accept(invite(6, "b"));

        assertThat(assembler.find(a).orElseThrow().messages()).extracting(WireMessage::epochMicros).containsExactly(5L);
        assertThat(assembler.find(b).orElseThrow().messages()).extracting(WireMessage::epochMicros).containsExactly(6L);
        assertThat(assembler.find(c).orElseThrow().messages()).extracting(WireMessage::epochMicros).containsExactly(4L);
        assertThat(assembler.droppedByCaps()).isEqualTo(3);

        for (UUID call : new UUID[] {a, b, c}) {
            assembler.on(new CallEvent.Ended(call, HangupSide.CALLER, 200, "bye"));
        }
        assembler.tick();
        assertThat(assembler.liveCalls()).isZero();
        assertThat(assembler.liveBytes()).isZero();
        UUID d = UUID.randomUUID();
        assembler.on(started(d, "d"));
        for (int i = 7; i <= 10; i++) {
            assembler.accept(invite(i, "d"));
        }
        assertThat(assembler.find(d).orElseThrow().messages()).as("finished calls no longer give up octets")
            .extracting(WireMessage::epochMicros).containsExactly(8L, 9L, 10L);
    }

    @Test
    void messagesNoCallClaimsAreDroppedAfterTheirWait() {
        assembler.accept(message(1, IN, CUSTOMER, "options-ping", "OPTIONS sip:switch SIP/2.0"));
        now.addAndGet(CaptureSettings.UNCLAIMED_WAIT.toMillis());
        assembler.tick();
        assertThat(assembler.droppedUnclaimed()).isEqualTo(1);
        UUID late = UUID.randomUUID();
        assembler.on(started(late, "options-ping"));
        assertThat(assembler.find(late).orElseThrow().messages()).isEmpty();
    }

    @Test
    void theStoreDropsTheOldestCallsOverItsByteCapAndEveryCallPastItsRetention() {
        byte[] blob = "x".repeat(400).getBytes(StandardCharsets.US_ASCII);
        CaptureStore small = new CaptureStore(new CaptureSettings(200, 1024, 1024, 1000, Duration.ofMinutes(10), Duration.ZERO, 16),
            now::get);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        small.put(a, blob);
        now.addAndGet(60_000);
        small.put(b, blob);
        small.put(c, blob);
        assertThat(small.get(a)).as("oldest out over 1000 bytes").isEmpty();
        assertThat(small.get(b)).isPresent();
        assertThat(small.evicted()).isEqualTo(1);

        now.addAndGet(Duration.ofMinutes(10).toMillis() - 1);
        assertThat(small.get(b)).as("just inside the retention").isPresent();
        now.addAndGet(1);
        assertThat(small.get(b)).isEmpty();
        assertThat(small.get(c)).isEmpty();
        assertThat(small.calls()).isZero();
        assertThat(small.bytes()).isZero();
        assertThat(small.expired()).isEqualTo(2);
    }

    @Test
    void aBlobThatIsNotACaptureIsRefusedWithAReason() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaptureCodec.decode(new byte[] {1, 2, 3}))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
