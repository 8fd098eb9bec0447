package io.tandem.routing.deck;

/** How a code changes with an import, as the preview counts it. */
public enum DiffKind {
    NEW,
    INCREASED,
    DECREASED,
    UNCHANGED,
    CLOSED
}
