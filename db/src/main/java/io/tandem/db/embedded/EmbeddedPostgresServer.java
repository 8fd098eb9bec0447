package io.tandem.db.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by the node itself when no datasource is configured. Its data
 * directory lives under the node's data directory and survives restarts.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    public static final String DATABASE = "tandem";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory} (created on first start) and makes sure the
     * {@value #DATABASE} database exists.
     *
     * @param port the TCP port on 127.0.0.1, or 0 for any free port
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        return start(dataDirectory, port, true);
    }

    /**
     * {@link #start(Path, int)}; with {@code stopWithJvm} false the server is stopped only by
     * {@link #close()}. A node closes it last, after its calls drained, its settlements were
     * written and its leases given back: a JVM shutdown hook of its own would stop the database
     * at the first moment of a graceful stop, under all of those.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean stopWithJvm) {
        return start(dataDirectory, port, stopWithJvm, 0);
    }

    /**
     * {@link #start(Path, int, boolean)} with the server's processes at nice value {@code nice}
     * (0 leaves them as started; see {@link #lowerPriority(int)}).
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean stopWithJvm, int nice) {
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(stopWithJvm)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    // The embedded server's defaults are for throw-away test databases (fsync and
                    // synchronous_commit off); a node's CDRs and balances are money, so a commit is
                    // on disk before the settlement counts as written.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // CDR and ledger indexes take random keys (UUIDs, numbers): fewer checkpoints
                    // mean fewer full-page images in the WAL per row written.
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("shared_buffers", "256MB");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, dataDirectory);
            if (nice > 0) {
                server.lowerPriority(nice);
            }
            server.createDatabaseIfMissing();
            log.info("Embedded PostgreSQL running on 127.0.0.1:{} with data in {}", postgres.getPort(), dataDirectory);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /** The postmaster's process id, from {@code postmaster.pid} in the data directory. */
    public long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().strip());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the embedded PostgreSQL's process id in " + dataDirectory, e);
        }
    }

    /**
     * Runs the server below the node's own threads: the postmaster and the processes it has
     * started get nice value {@code nice} (with {@code renice}; raising one's own nice value needs
     * no privilege), and every connection it forks later inherits it. The node writes CDRs and
     * ledger entries asynchronously, so on a machine whose cores are all busy the SIP event loops
     * go first and the writes catch up. A missing or failing {@code renice} is logged and the
     * server runs at normal priority.
     */
    void lowerPriority(int nice) {
        List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
        long postmaster = postmasterPid();
        command.add(Long.toString(postmaster));
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> command.add(Long.toString(d.pid()))));
        try {
            Process renice = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                log.warn("Could not lower the embedded PostgreSQL's CPU priority ({}): {}", String.join(" ", command), output);
                return;
            }
            log.info("Embedded PostgreSQL runs at nice {} ({} processes)", nice, command.size() - 4);
        } catch (IOException e) {
            log.warn("Could not lower the embedded PostgreSQL's CPU priority: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while lowering the embedded PostgreSQL's CPU priority");
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8'");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the database '" + DATABASE + "' in the embedded PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    public String username() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
