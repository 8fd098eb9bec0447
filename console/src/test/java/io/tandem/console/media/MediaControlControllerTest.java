package io.tandem.console.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.softswitch.media.relay.ControlledSessions;
import io.tandem.softswitch.media.relay.MediaRelay;
import io.tandem.softswitch.media.relay.MediaRelayConfig;
import io.tandem.softswitch.media.remote.MediaNodeControl;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.ResponseEntity;

/** The media node's control endpoint refuses a silence limit out of bounds with a field message, and takes an absent one as "never". */
class MediaControlControllerTest {

    private final int base = 2 * ThreadLocalRandom.current().nextInt(15_000, 16_000);
    private final MediaRelay relay = new MediaRelay(new MediaRelayConfig("127.0.0.1", "127.0.0.1", base, base + 7, 1,
            Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofSeconds(2)));
    private final ControlledSessions sessions = new ControlledSessions(relay, 10, Duration.ofSeconds(30), Clock.systemUTC());
    private final MediaControlController controller = new MediaControlController(
            new StaticListableBeanFactory(Map.of("sessions", sessions)).getBeanProvider(ControlledSessions.class));

    @AfterEach
    void stop() {
        relay.close();
    }

    private ResponseEntity<Object> update(Long silenceLimitMillis) {
        List<Integer> ports = sessions.lease("sip-1", 2).ports();
        return controller.update(UUID.randomUUID(), new MediaControlController.SessionRequest("sip-1", 1,
                List.of(new MediaNodeControl.StreamTargets(ports.get(0), ports.get(1), null, null, 8000)), true, silenceLimitMillis));
    }

    @Test
    void aSilenceLimitBelowZeroOrOverSevenDaysIsRefusedWithAFieldMessage() {
        ResponseEntity<Object> negative = update(-1L);
        assertThat(negative.getStatusCode().value()).isEqualTo(400);
        assertThat(negative.getBody().toString()).contains("silenceLimitMillis");
        assertThat(update(7L * 24 * 3600 * 1000 + 1).getStatusCode().value()).isEqualTo(400);
        assertThat(sessions.load().sessions()).isZero();
    }

    @Test
    void anAbsentSilenceLimitIsTakenAsNeverAndTheSessionIsMade() {
        assertThat(update(null).getStatusCode().value()).isEqualTo(200);
        assertThat(update(60_000L).getStatusCode().value()).isEqualTo(200);
        assertThat(sessions.load().sessions()).isEqualTo(2);
    }
}
