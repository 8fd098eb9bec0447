package io.tandem.softswitch.media.relay;

import static io.tandem.softswitch.media.relay.SourceLatch.Verdict.ACCEPT;
import static io.tandem.softswitch.media.relay.SourceLatch.Verdict.PROBATION;
import static io.tandem.softswitch.media.relay.SourceLatch.Verdict.REJECT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** One row of {@link SourceLatch}'s table per test, on a hand-moved clock (nanos). */
class SourceLatchTest {

    private static final long MS = 1_000_000L;
    private static final InetSocketAddress SDP = new InetSocketAddress("10.0.0.5", 4000);
    private static final InetSocketAddress NAT = new InetSocketAddress("127.0.0.7", 31000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("127.0.0.9", 5000);

    private final SourceLatch latch = new SourceLatch(2000 * MS);

    @Test
    void theSignalledAddressIsLatchedAtOnce() {
        latch.expect(new InetSocketAddress("127.0.0.7", 4000));
        assertThat(latch.offer(new InetSocketAddress("127.0.0.7", 4000), 1, 10, 0)).isEqualTo(ACCEPT);
    }

    @Test
    void aSourceBehindNatIsLatchedAfterThreeConsecutivePacketsOfOneStream() {
        latch.expect(SDP);
        assertThat(latch.target()).isEqualTo(SDP);
        assertThat(latch.offer(NAT, 77, 100, 0)).isEqualTo(PROBATION);
        assertThat(latch.offer(NAT, 77, 101, 20 * MS)).isEqualTo(PROBATION);
        assertThat(latch.offer(NAT, 77, 102, 40 * MS)).isEqualTo(ACCEPT);
        assertThat(latch.target()).isEqualTo(NAT);
    }

    @Test
    void sendingFirstFromElsewhereIsNotEnoughWhenTheStreamIsBroken() {
        latch.expect(SDP);
        latch.offer(STRANGER, 5, 1, 0);
        latch.offer(STRANGER, 5, 9, 20 * MS); // not consecutive
        latch.offer(STRANGER, 6, 10, 40 * MS); // another SSRC
        assertThat(latch.latched()).isFalse();
        assertThat(latch.target()).isEqualTo(SDP);
    }

    @Test
    void aStrangerInterleavingItsPacketsDoesNotKeepTheRealPeerFromLatching() {
        latch.expect(SDP);
        for (int i = 0; i < 2; i++) {
            assertThat(latch.offer(NAT, 77, 100 + i, 20 * MS * i)).isEqualTo(PROBATION);
            assertThat(latch.offer(STRANGER, 9, 300 + i * 7, 20 * MS * i + 1)).isEqualTo(PROBATION);
        }
        assertThat(latch.offer(NAT, 77, 102, 40 * MS)).isEqualTo(ACCEPT);
        assertThat(latch.offer(STRANGER, 9, 301, 41 * MS)).isEqualTo(REJECT);
        assertThat(latch.target()).isEqualTo(NAT);
    }

    @Test
    void anSdpAppliedBetweenTwoSourcesPacketsKeepsTheirProbationSoTheFirstToSendStaysFirst() {
        // the relay's port is read before its first SDP is applied: the customer's first packet, then the SDP, then
        // a stranger interleaving its own; had the SDP reset the probation, the stranger would latch at its third
        assertThat(latch.offer(NAT, 77, 100, 0)).isEqualTo(PROBATION);
        latch.expect(SDP);
        assertThat(latch.offer(STRANGER, 9, 300, 1 * MS)).isEqualTo(PROBATION);
        assertThat(latch.offer(NAT, 77, 101, 20 * MS)).isEqualTo(PROBATION);
        assertThat(latch.offer(STRANGER, 9, 301, 21 * MS)).isEqualTo(PROBATION);
        assertThat(latch.offer(NAT, 77, 102, 40 * MS)).isEqualTo(ACCEPT);
        assertThat(latch.offer(STRANGER, 9, 302, 41 * MS)).isEqualTo(REJECT);
        assertThat(latch.target()).isEqualTo(NAT);
    }

    @Test
    void whileTheLatchedSourceTalksAnotherIsRejectedEvenWithAPerfectStream() {
        latchNat();
        for (int i = 0; i < 10; i++) {
            assertThat(latch.offer(NAT, 77, 103 + i, (60 + 20 * i) * MS)).isEqualTo(ACCEPT);
            assertThat(latch.offer(STRANGER, 9, 500 + i, (61 + 20 * i) * MS)).isEqualTo(REJECT);
        }
        assertThat(latch.target()).isEqualTo(NAT);
    }

    @Test
    void theSameStreamFromANewPortIsANatRebindingAndFollowedAtOnce() {
        latchNat();
        InetSocketAddress moved = new InetSocketAddress("127.0.0.7", 31002);
        assertThat(latch.offer(moved, 77, 103, 60 * MS)).isEqualTo(ACCEPT);
        assertThat(latch.target()).isEqualTo(moved);
    }

    @Test
    void afterTheLatchedSourceFallsSilentAnotherMayLatchWithAContinuousStream() {
        latchNat();
        long silentFrom = 40 * MS;
        assertThat(latch.offer(STRANGER, 9, 1, silentFrom + 1999 * MS)).isEqualTo(REJECT);
        assertThat(latch.offer(STRANGER, 9, 2, silentFrom + 2000 * MS)).isEqualTo(PROBATION);
        assertThat(latch.offer(STRANGER, 9, 3, silentFrom + 2020 * MS)).isEqualTo(PROBATION);
        assertThat(latch.offer(STRANGER, 9, 4, silentFrom + 2040 * MS)).isEqualTo(ACCEPT);
        assertThat(latch.target()).isEqualTo(STRANGER);
    }

    @Test
    void aNewSdpAddressForgetsTheLatch() {
        latchNat();
        InetSocketAddress reinvite = new InetSocketAddress("127.0.0.8", 6000);
        latch.expect(reinvite);
        assertThat(latch.latched()).isFalse();
        assertThat(latch.target()).isEqualTo(reinvite);
    }

    private void latchNat() {
        latch.expect(SDP);
        latch.offer(NAT, 77, 100, 0);
        latch.offer(NAT, 77, 101, 20 * MS);
        latch.offer(NAT, 77, 102, 40 * MS);
        assertThat(latch.target()).isEqualTo(NAT);
    }
}
