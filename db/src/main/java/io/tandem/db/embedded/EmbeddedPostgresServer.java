package io.tandem.db.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by the node itself when no datasource is configured. Its data
 * directory lives under the node's data directory and survives restarts.
 *
 * <p>It listens on 127.0.0.1 only, and every connection needs a password: on its first start the
 * server gets a generated password for its {@code postgres} role, written next to the data directory
 * ({@code <data-dir>/postgres.password}, readable by the node's user only), and its
 * {@code pg_hba.conf} is replaced by one that requires {@code scram-sha-256} for every connection.
 * Another user on the same machine can no longer connect and read or change balances.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    public static final String DATABASE = "tandem";

    /** The first line of the {@code pg_hba.conf} this class writes; its absence means "not secured yet". */
    static final String HBA_MARKER = "# Written by Tandem: every connection needs the password in ";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, String password) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.password = password;
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
            Path passwordFile = passwordFile(dataDirectory);
            Optional<String> knownPassword = readPassword(passwordFile);
            if (knownPassword.isEmpty() && isSecured(dataDirectory)) {
                throw new IllegalStateException("The embedded PostgreSQL in " + dataDirectory + " requires a password, and "
                        + passwordFile + " that holds it is missing: restore that file (or move the data directory away to start empty)");
            }
            knownPassword.ifPresent(secret -> builder.setConnectConfig("password", secret));
            EmbeddedPostgres postgres = builder.start();
            String password = knownPassword.orElseGet(() -> newPassword(passwordFile));
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, dataDirectory, password);
            if (nice > 0) {
                server.lowerPriority(nice);
            }
            server.createDatabaseIfMissing();
            if (!isSecured(dataDirectory)) {
                server.requirePassword(passwordFile);
            }
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
     * go first and the writes catch up.
     *
     * <p>Each process is reniced on its own: a helper process that exits between being listed and
     * being reniced (PostgreSQL starts and ends some of them at will) made the single {@code renice}
     * for all of them exit non-zero, and the node logged that the priority could not be lowered
     * although the other processes had been reniced. A missing {@code renice} or a refused postmaster
     * is logged with what to do; the server then runs as started.
     */
    void lowerPriority(int nice) {
        long postmaster = postmasterPid();
        List<Long> processes = new ArrayList<>(List.of(postmaster));
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> processes.add(d.pid())));
        int reniced = renice(processes, nice, EmbeddedPostgresServer::runRenice, pid -> ProcessHandle.of(pid).isPresent());
        if (reniced > 0) {
            log.info("Embedded PostgreSQL runs at nice {} ({} processes)", nice, reniced);
        }
    }

    /** Runs {@code renice} for one process: its exit code and what it printed. */
    interface ReniceRunner {
        ReniceResult renice(long pid, int nice) throws IOException, InterruptedException;
    }

    record ReniceResult(int exitCode, String output) {
    }

    /**
     * Renices the postmaster (first in {@code processes}) and then each other process; returns how
     * many were reniced, 0 when the postmaster was not (then the reason is logged). A process other
     * than the postmaster that fails and no longer exists has simply ended.
     */
    static int renice(List<Long> processes, int nice, ReniceRunner runner, java.util.function.LongPredicate alive) {
        int reniced = 0;
        for (long pid : processes) {
            boolean postmaster = reniced == 0 && pid == processes.getFirst();
            try {
                ReniceResult result = runner.renice(pid, nice);
                if (result.exitCode() == 0) {
                    reniced++;
                } else if (postmaster) {
                    log.warn("Could not lower the embedded PostgreSQL's CPU priority: 'renice -n {} -p {}' exited with {}: {}. "
                                    + "It runs at normal priority. Containers that forbid changing priorities need no action; "
                                    + "set tandem.embedded-database.nice=0 to silence this", nice, pid, result.exitCode(), result.output());
                    return 0;
                } else if (alive.test(pid)) {
                    log.warn("Could not lower the CPU priority of embedded PostgreSQL process {}: {}", pid, result.output());
                }
            } catch (IOException e) {
                log.warn("Could not lower the embedded PostgreSQL's CPU priority: cannot run 'renice' ({}). Install it "
                        + "(Debian/Ubuntu: bsdutils; Alpine: util-linux) or set tandem.embedded-database.nice=0", e.getMessage());
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Interrupted while lowering the embedded PostgreSQL's CPU priority");
                return reniced;
            }
        }
        return reniced;
    }

    private static ReniceResult runRenice(long pid, int nice) throws IOException, InterruptedException {
        Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", Long.toString(pid))
                .redirectErrorStream(true).start();
        String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!renice.waitFor(10, TimeUnit.SECONDS)) {
            renice.destroyForcibly();
            return new ReniceResult(-1, "renice did not finish within 10 s");
        }
        return new ReniceResult(renice.exitValue(), output);
    }

    static Path passwordFile(Path dataDirectory) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + ".password");
    }

    private static boolean isSecured(Path dataDirectory) {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        try {
            return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).startsWith(HBA_MARKER);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + hba, e);
        }
    }

    private static Optional<String> readPassword(Path passwordFile) throws IOException {
        if (!Files.exists(passwordFile)) {
            return Optional.empty();
        }
        String secret = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        if (secret.isEmpty()) {
            throw new IllegalStateException(passwordFile + " is empty: it must hold the embedded PostgreSQL's password");
        }
        return Optional.of(secret);
    }

    /** 32 random bytes, URL-safe Base64 (no quotes to escape in SQL), in a file only its owner may read. */
    private static String newPassword(Path passwordFile) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            if (passwordFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.deleteIfExists(passwordFile);
                Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(passwordFile, secret + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the embedded PostgreSQL's password to " + passwordFile, e);
        }
        return secret;
    }

    /**
     * Gives the {@code postgres} role the password and makes the server ask for it on every
     * connection: a new {@code pg_hba.conf}, then a configuration reload. The password is set first,
     * so a stop between the two steps leaves a server that still lets the node in.
     */
    private void requirePassword(Path passwordFile) {
        try (Connection connection = postgres.getPostgresDatabase(Map.of("password", password)).getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), HBA_MARKER + passwordFile.toAbsolutePath() + "\n"
                    + "local all all scram-sha-256\n"
                    + "host  all all 127.0.0.1/32 scram-sha-256\n"
                    + "host  all all ::1/128 scram-sha-256\n", StandardCharsets.UTF_8);
            statement.execute("SELECT pg_reload_conf()");
            log.info("Embedded PostgreSQL now requires the password kept in {}", passwordFile);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot give the embedded PostgreSQL its password", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write pg_hba.conf in " + dataDirectory, e);
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase(Map.of("password", password)).getConnection();
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

    /** The generated password every connection needs (kept in {@code <data-dir>/postgres.password}). */
    public String password() {
        return password;
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
