package io.tandem.routing.deck;

/** What a deck row asks for. */
public enum RowAction {
    /** Add the code or change its rate (blank, {@code add}, {@code update}, ...). */
    UPSERT,
    /** Close the code at the row's effective date ({@code delete}, {@code close}, ...). */
    CLOSE
}
