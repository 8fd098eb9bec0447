package io.tandem.routing.normalize;

import java.util.List;

/**
 * The numbers of a call after normalization. {@code techPrefixMatched} is false when the dialled
 * number lacked the trunk's tech prefix; {@code steps} says what was done, for the route simulator.
 */
public record NormalizedCall(boolean techPrefixMatched, String callee, String caller, List<String> steps) {

    public NormalizedCall {
        steps = List.copyOf(steps);
    }
}
