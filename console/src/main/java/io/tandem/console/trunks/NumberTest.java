package io.tandem.console.trunks;

import java.util.List;

/**
 * A typed number run through a trunk's tech prefix and translation rules, as the softswitch would.
 *
 * @param accepted false when the number lacks the tech prefix or the rules do not compile
 * @param callee   the called number after translation
 * @param caller   the calling number after translation
 * @param steps    what was applied, in order
 * @param problem  why nothing could be applied, or null
 */
public record NumberTest(boolean accepted, String callee, String caller, List<String> steps, String problem) {
}
