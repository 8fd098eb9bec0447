package io.tandem.console.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.billing.cdr.HangupSide;
import io.tandem.console.calls.TrafficRecorder.Resolution;
import io.tandem.softswitch.call.CallEvent;
import io.tandem.softswitch.call.CallState;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The dashboard's traffic figures from call events, on a hand-moved clock. */
class TrafficRecorderTest {

    private final AtomicLong nanos = new AtomicLong();
    private final TrafficRecorder recorder = new TrafficRecorder(nanos::get);

    private void after(long millis) {
        nanos.addAndGet(millis * 1_000_000);
    }

    @Test
    void oneSecondPointCountsStartsAnswersTalkTimeAndPostDialDelay() {
        UUID answered = UUID.randomUUID();
        UUID failed = UUID.randomUUID();
        recorder.on(new CallEvent.Started(answered, null));
        recorder.on(new CallEvent.Started(failed, null));
        after(300);
        recorder.on(new CallEvent.StateChanged(answered, CallState.RINGING));
        after(200);
        recorder.on(new CallEvent.StateChanged(answered, CallState.ANSWERED));
        recorder.on(new CallEvent.Ended(failed, HangupSide.SWITCH, 503, "no route"));
        after(4_000);
        recorder.on(new CallEvent.Ended(answered, HangupSide.CALLER, 200, "bye"));

        recorder.tick(1_000);

        List<TrafficPoint> points = recorder.points(Resolution.SECOND);
        assertThat(points).containsExactly(new TrafficPoint(999, 1, 2, 2, 1, 4_000, 1, 300, 0));
        assertThat(points.get(0).asrPercent()).isEqualTo(50.0);
        assertThat(points.get(0).acdSeconds()).isEqualTo(4.0);
        assertThat(points.get(0).pddMillisAverage()).isEqualTo(300.0);
        assertThat(points.get(0).cps()).isEqualTo(2.0);
    }

    @Test
    void aQuietSecondHasNoRatesAndLiveCallsStayCounted() {
        recorder.on(new CallEvent.Started(UUID.randomUUID(), null));
        recorder.tick(60);
        recorder.tick(61);

        TrafficPoint quiet = recorder.points(Resolution.SECOND).get(1);
        assertThat(quiet.activeCalls()).isEqualTo(1);
        assertThat(quiet.cps()).isZero();
        assertThat(quiet.asrPercent()).isNaN();
        assertThat(quiet.acdSeconds()).isNaN();
    }

    @Test
    void secondsAddUpIntoMinutesWithThePeakOfLiveCallsAndTheRingsStayBounded() {
        for (long second = 1; second <= TrafficRecorder.SECOND_POINTS + 120; second++) {
            recorder.on(new CallEvent.Started(UUID.randomUUID(), null));
            recorder.tick(second);
        }
        assertThat(recorder.points(Resolution.SECOND)).hasSize(TrafficRecorder.SECOND_POINTS);
        List<TrafficPoint> minutes = recorder.points(Resolution.MINUTE);
        TrafficPoint full = minutes.get(1);
        assertThat(full.at()).isEqualTo(60);
        assertThat(full.seconds()).isEqualTo(60);
        assertThat(full.started()).isEqualTo(60);
        assertThat(full.cps()).isEqualTo(1.0);
        assertThat(full.activeCalls()).isEqualTo(120);
    }
}
