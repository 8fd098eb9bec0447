package io.tandem.routing.deck;

/** The fields a rate deck row can carry; {@link #PREFIX} and {@link #RATE} are required. */
public enum DeckField {
    PREFIX,
    DESTINATION,
    /** Price per minute. */
    RATE,
    CONNECT_FEE,
    INITIAL_INCREMENT,
    NEXT_INCREMENT,
    /** Both increments in one cell, written {@code 60/60}, {@code 30/6} or {@code 1/1}. */
    INCREMENTS,
    EFFECTIVE_FROM,
    /** Seconds an answered call may last and still be free (ASTPP's Grace Time); blank = the deck's. */
    GRACE_TIME,
    /** Add/update (blank) or delete the code. */
    ACTION
}
