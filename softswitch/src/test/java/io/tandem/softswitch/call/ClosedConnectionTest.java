package io.tandem.softswitch.call;

import static io.tandem.softswitch.call.CallHarness.VENDOR_A;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An INVITE over TCP whose connection closed before the engine handled it (#21 rough edge 1: seen
 * 70 times in 3,000 fuzzed messages and on RFC 4475's {@code longreq} over TCP, each a
 * NullPointerException answered 500). There is no one to answer: the engine drops it, and the
 * next customer is served as usual.
 */
class ClosedConnectionTest {

    final CallHarness h = new CallHarness();

    @Test
    void anInviteWhoseConnectionClosedIsDroppedWithoutAnAnswerOrAVendorAttempt() {
        h.start();
        h.fromClosedConnection(h.invite("gone").build());

        assertThat(h.toCustomer()).as("nothing but the transaction layer's 100 Trying")
                .allSatisfy(response -> assertThat(response.status()).isEqualTo(100));
        assertThat(h.vendorMethods(VENDOR_A)).isEmpty();
        assertThat(h.engine.activeCallCount()).isZero();
        assertThat(h.settled).isEmpty();

        h.fromCustomer(h.invite("next").build());
        assertThat(h.vendorMethods(VENDOR_A)).containsExactly("INVITE");
    }
}
