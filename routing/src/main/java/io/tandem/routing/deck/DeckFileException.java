package io.tandem.routing.deck;

import java.io.IOException;

/** The uploaded file cannot be read as a deck at all (bad archive, no CSV inside, not text). */
public class DeckFileException extends IOException {

    public DeckFileException(String message) {
        super(message);
    }

    public DeckFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
