package io.tandem.console.security;

import io.tandem.console.node.TandemProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed console sign-ins per user name and per source address. Each count runs in a
 * window that begins at its first failure; once a count reaches its limit, {@link #refuses} is
 * true until that window ends, so a guesser gets a few tries per window however fast they send.
 * A successful sign-in clears its user name's count (not its source's).
 *
 * <p>At most {@link #MAX_TRACKED} user names and as many sources are kept; beyond that, ended
 * windows are swept out. One source can open at most {@code maxFailuresPerSource} user-name
 * windows per window, so filling the table takes many sources.
 */
public class LoginThrottle {

    /** Entries per table before ended windows are swept. */
    static final int MAX_TRACKED = 100_000;
    /** Longer user names share a count by their first characters, so a table entry stays small. */
    static final int MAX_KEY_LENGTH = 128;

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private record Window(Instant start, int failures) {
    }

    private final Clock clock;
    private final TandemProperties.Login settings;
    private final ConcurrentHashMap<String, Window> byUser = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Window> bySource = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock, TandemProperties.Login settings) {
        this.clock = clock;
        this.settings = settings;
    }

    /** True while the user name or the source has used up its failures for the current window. */
    public boolean refuses(String username, String source) {
        Instant now = clock.instant();
        return exhausted(byUser.get(key(username)), settings.maxFailuresPerUser(), now)
                || exhausted(bySource.get(key(source)), settings.maxFailuresPerSource(), now);
    }

    public void failed(String username, String source) {
        Instant now = clock.instant();
        count(byUser, key(username), settings.maxFailuresPerUser(), now, "user");
        count(bySource, key(source), settings.maxFailuresPerSource(), now, "source");
    }

    public void succeeded(String username) {
        byUser.remove(key(username));
    }

    private static String key(String text) {
        return text.length() > MAX_KEY_LENGTH ? text.substring(0, MAX_KEY_LENGTH) : text;
    }

    private boolean exhausted(Window window, int limit, Instant now) {
        return window != null && now.isBefore(window.start().plus(settings.window())) && window.failures() >= limit;
    }

    private void count(ConcurrentHashMap<String, Window> table, String key, int limit, Instant now, String what) {
        if (table.size() >= MAX_TRACKED) {
            table.values().removeIf(w -> !now.isBefore(w.start().plus(settings.window())));
        }
        Window counted = table.compute(key, (k, w) -> w == null || !now.isBefore(w.start().plus(settings.window()))
                ? new Window(now, 1)
                : new Window(w.start(), w.failures() + 1));
        if (counted.failures() == limit) {
            // the user name is typed by whoever signs in: no line breaks into the log
            log.warn("console sign-in refused for {} '{}' until {}: {} failed attempts", what, key.replaceAll("\\p{Cntrl}", "?"),
                    counted.start().plus(settings.window()), limit);
        }
    }
}
