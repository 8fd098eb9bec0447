package io.tandem.softswitch.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.softswitch.call.admission.AdmissionControl;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdmissionControlTest {

    @Test
    void aCpsLimitAdmitsTheBurstThenRefusesWithRetryAfter() {
        AdmissionControl admission = new AdmissionControl(() -> 1);
        int admitted = 0;
        Optional<CallRejection> refusal = Optional.empty();
        for (int i = 0; i < 15; i++) {
            refusal = admission.takeCps("account 1", 10);
            if (refusal.isEmpty()) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(10);
        assertThat(refusal).get().isInstanceOfSatisfying(CallRejection.CpsLimitExceeded.class,
                r -> assertThat(r.retryAfterSeconds()).isPositive());
        assertThat(CallRejections.toSip(refusal.get()).status()).isEqualTo(503);
    }

    @Test
    void aClusterLimitIsSharedByTheLiveNodes() {
        AdmissionControl admission = new AdmissionControl(() -> 2);
        var first = admission.takeSlot("trunk 7", 4);
        var second = admission.takeSlot("trunk 7", 4);
        var third = admission.takeSlot("trunk 7", 4);

        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(third).isEmpty();

        first.get().release();
        first.get().release();
        assertThat(admission.inUse("trunk 7")).isEqualTo(1);
        assertThat(admission.takeSlot("trunk 7", 4)).isPresent();
    }

    /** Three nodes that count three live nodes admit together no more than the cluster-wide cap. */
    @Test
    void threeNodesTogetherStayWithinTheClusterCap() {
        int admitted = 0;
        for (int node = 0; node < 3; node++) {
            AdmissionControl admission = new AdmissionControl(() -> 3);
            while (admission.takeSlot("account 42", 30).isPresent()) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(30);
    }
}
