package io.tandem.console.calls;

import java.util.UUID;

/** What became of a cluster-wide hang-up request. */
public sealed interface HangUpOutcome {

    UUID callId();

    /** The owning node accepted it: both legs get a BYE. */
    record HungUp(UUID callId, String node) implements HangUpOutcome {
    }

    /** No node that answered carries the call (it may just have ended). */
    record NotFound(UUID callId) implements HangUpOutcome {
    }

    /** The caller's role may not hang up calls. */
    record Refused(UUID callId, String why) implements HangUpOutcome {
    }

    /** The owning node did not take the request (down, timed out, or answered an error). */
    record NodeFailed(UUID callId, String node, String why) implements HangUpOutcome {
    }
}
