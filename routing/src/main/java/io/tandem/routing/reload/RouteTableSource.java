package io.tandem.routing.reload;

import io.tandem.routing.RouteTable;

/** Where snapshots come from: the database in production, anything in tests. */
public interface RouteTableSource {

    /** The current configuration version stamp; cheap, polled every second. */
    long currentVersion();

    /**
     * Builds a complete snapshot. Implementations read the version before the data, so a change
     * that races with the load shows up as a newer version at the next poll.
     */
    RouteTable load();
}
