package io.tandem.routing.normalize;

import java.util.List;

/**
 * The numbers of a call after normalization. {@code techPrefixMatched} is false when the dialled
 * number lacked the trunk's tech prefix; {@code untranslatable} names why the rules could not be
 * applied (a number too long, a rule too costly for it), null when they were; {@code steps} says
 * what was done, for the route simulator.
 */
public record NormalizedCall(boolean techPrefixMatched, String callee, String caller, List<String> steps,
                             String untranslatable) {

    public NormalizedCall {
        steps = List.copyOf(steps);
    }

    public NormalizedCall(boolean techPrefixMatched, String callee, String caller, List<String> steps) {
        this(techPrefixMatched, callee, caller, steps, null);
    }
}
