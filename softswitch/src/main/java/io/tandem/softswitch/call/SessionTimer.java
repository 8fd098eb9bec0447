package io.tandem.softswitch.call;

import io.tandem.softswitch.sip.message.HeaderName;
import io.tandem.softswitch.sip.message.SessionExpires;
import io.tandem.softswitch.sip.message.SipRequest;
import io.tandem.softswitch.sip.message.SipResponse;
import io.tandem.softswitch.sip.transaction.TransactionExecutor;
import java.time.Duration;

/**
 * RFC 4028, terminated on the customer leg: when the customer supports session timers, the
 * switch answers with a Session-Expires it must refresh (re-INVITE or UPDATE) and ends both legs
 * a little before the interval runs out (§10: the smaller of 32 s and a third of the interval
 * before). The vendor leg carries no session timer. Confined to the call's loop.
 */
final class SessionTimer {

    private final TransactionExecutor loop;
    private final Runnable onExpiry;
    /** The negotiated interval, 0 while the customer leg has no session timer. */
    private long seconds;
    private TransactionExecutor.Cancellable timer;

    SessionTimer(TransactionExecutor loop, Runnable onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
    }

    /** RFC 4028 §7.1: the customer says it can refresh a session ({@code timer} in Supported or Require). */
    static boolean supported(SipRequest invite) {
        for (HeaderName name : new HeaderName[] {HeaderName.SUPPORTED, HeaderName.REQUIRE}) {
            for (String line : invite.headers().all(name)) {
                for (String option : line.split(",")) {
                    if (option.trim().equalsIgnoreCase("timer")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** At answer: the customer's interval (already checked against Min-SE), or ours; starts the timer. */
    void start(SipRequest invite, Duration defaultInterval) {
        if (!supported(invite)) {
            return;
        }
        seconds = SessionExpires.parse(invite.header(HeaderName.SESSION_EXPIRES)).map(SessionExpires::seconds)
                .orElse(defaultInterval.toSeconds());
        arm();
    }

    boolean running() {
        return seconds > 0;
    }

    /** A refresh (2xx to the customer's re-INVITE/UPDATE): the interval starts again. */
    void refresh() {
        if (running()) {
            arm();
        }
    }

    /** The headers of an answer that sets or refreshes the session (the customer is the refresher). */
    void addHeaders(SipResponse.Builder response) {
        if (running()) {
            response.header(HeaderName.SESSION_EXPIRES, seconds + ";refresher=uac").header(HeaderName.REQUIRE, "timer");
        }
    }

    /** The call ended: the timer stops and a late refresh cannot start it again. */
    void stop() {
        cancel();
        seconds = 0;
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void arm() {
        cancel();
        long before = Math.min(32, seconds / 3);
        timer = loop.schedule(onExpiry, (seconds - before) * 1000);
    }
}
