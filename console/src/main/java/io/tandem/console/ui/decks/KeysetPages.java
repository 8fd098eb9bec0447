package io.tandem.console.ui.decks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the Grid's offset requests into keyset pages: it remembers the last row of every page it served and
 * asks for the rows after the nearest one, so scrolling deep into a million-row deck (or millions of CDRs) never
 * makes the database count rows past an offset. The Grid scrolls without a total ("infinite"), so requests stay
 * near loaded rows.
 *
 * @param <T> a row; the source knows how to continue after one
 */
public final class KeysetPages<T> {

    /** Fetches the rows after a row (null = from the first), at most {@code limit}. */
    public interface Source<T> {
        List<T> after(T after, int limit);
    }

    private final Source<T> source;
    /** Row index -> the row at that index, for the last row of each page served. */
    private final TreeMap<Integer, T> anchors = new TreeMap<>();

    public KeysetPages(Source<T> source) {
        this.source = source;
    }

    public List<T> fetch(int offset, int limit) {
        Map.Entry<Integer, T> anchor = offset == 0 ? null : anchors.floorEntry(offset - 1);
        int start = anchor == null ? 0 : anchor.getKey() + 1;
        int skip = offset - start;
        List<T> rows = source.after(anchor == null ? null : anchor.getValue(), skip + limit);
        List<T> page = rows.size() <= skip ? List.of() : rows.subList(skip, rows.size());
        if (!page.isEmpty()) {
            anchors.put(offset + page.size() - 1, page.get(page.size() - 1));
        }
        return page;
    }

    /** Forgets every anchor: the filter or the deck changed. */
    public void reset() {
        anchors.clear();
    }
}
