package io.tandem.console.ui.calls;

import io.tandem.console.calls.LiveCall;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The Active calls search box: every word typed must appear in one of the call's node, customer,
 * trunk, vendor, caller, callee or state (case ignored). "node-b answered 44" finds the answered
 * calls to 44… on node-b.
 */
final class LiveCallFilter implements Predicate<LiveCall> {

    /** Longer searches are cut here; no call field is longer. */
    static final int MAX_LENGTH = 200;

    private final String[] words;

    LiveCallFilter(String search) {
        String text = search == null ? "" : search.strip().toLowerCase(Locale.ROOT);
        if (text.length() > MAX_LENGTH) {
            text = text.substring(0, MAX_LENGTH);
        }
        this.words = text.isEmpty() ? new String[0] : text.split("\\s+");
    }

    boolean matchesAll() {
        return words.length == 0;
    }

    @Override
    public boolean test(LiveCall call) {
        for (String word : words) {
            if (!(contains(call.node(), word) || contains(call.customer(), word) || contains(call.trunk(), word)
                    || contains(call.vendor(), word) || contains(call.caller(), word) || contains(call.callee(), word)
                    || contains(call.state(), word))) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(String field, String word) {
        return field != null && field.toLowerCase(Locale.ROOT).contains(word);
    }
}
