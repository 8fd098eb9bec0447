package io.tandem.routing.deck;

import java.util.Locale;

/**
 * An upload passed one of the {@link DeckLimits}: reading stops at once and nothing of the file is
 * kept. Unchecked on purpose: it is raised deep inside a stream ({@link CappedInputStream}, read by
 * the gzip, zip and CSV readers) and must unwind through them untouched, where an
 * {@link java.io.IOException} would be caught and reported as a damaged file.
 */
public final class DeckTooLargeException extends RuntimeException {

    private final DeckLimits.Limit limit;
    private final long max;

    public DeckTooLargeException(DeckLimits.Limit limit, long max) {
        super(sentence(limit, max));
        this.limit = limit;
        this.max = max;
    }

    public DeckLimits.Limit limit() {
        return limit;
    }

    public long max() {
        return max;
    }

    private static String sentence(DeckLimits.Limit limit, long max) {
        return switch (limit) {
            case UPLOAD_BYTES -> "The file is larger than the upload limit of " + bytes(max);
            case DECOMPRESSED_BYTES -> "The file unpacks to more than the limit of " + bytes(max)
                    + " of CSV text; the archive is damaged or not a rate deck";
            case ROWS -> "The file has more than the limit of " + String.format(Locale.ROOT, "%,d", max)
                    + " rows; split the deck";
            case RECORD_CHARACTERS -> "A row of the file is longer than " + String.format(Locale.ROOT, "%,d", max)
                    + " characters; this is not a rate deck (an unclosed quote?)";
        };
    }

    private static String bytes(long count) {
        if (count % (1024L * 1024 * 1024) == 0) {
            return count / (1024L * 1024 * 1024) + " GB";
        }
        if (count % (1024L * 1024) == 0) {
            return count / (1024L * 1024) + " MB";
        }
        if (count % 1024 == 0) {
            return count / 1024 + " KB";
        }
        return String.format(Locale.ROOT, "%,d bytes", count);
    }
}
