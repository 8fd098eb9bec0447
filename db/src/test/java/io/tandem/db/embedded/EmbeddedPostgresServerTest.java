package io.tandem.db.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's own PostgreSQL, as the operating system sees it. */
class EmbeddedPostgresServerTest {

    @Test
    void theServerAndTheConnectionsItForksLaterRunAtTheNiceValueAsked(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/stat")), "nice values are read from /proc (Linux)");
        int ours = niceOf(ProcessHandle.current().pid());
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("pg"), 0, true, 7)) {
            assertThat(niceOf(server.postmasterPid())).isEqualTo(7);
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                 Statement statement = connection.createStatement();
                 ResultSet backend = statement.executeQuery("SELECT pg_backend_pid()")) {
                backend.next();
                assertThat(niceOf(backend.getLong(1))).as("a connection opened after the start").isEqualTo(7);
            }
        }
        assertThat(niceOf(ProcessHandle.current().pid())).as("the node itself keeps its priority").isEqualTo(ours);
    }

    @Test
    void niceZeroLeavesTheServerAsStarted(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/stat")), "nice values are read from /proc (Linux)");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("pg"), 0, true, 0)) {
            assertThat(niceOf(server.postmasterPid())).isEqualTo(niceOf(ProcessHandle.current().pid()));
        }
    }

    @Test
    void everyConnectionNeedsTheGeneratedPasswordWhichOnlyTheOwnerCanReadAndWhichSurvivesARestart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        Path passwordFile = dir.resolve("pg.password");
        String password;
        int port;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, true, 0)) {
            password = server.password();
            port = server.port();
            assertThat(password).hasSizeGreaterThanOrEqualTo(40);
            assertThat(Files.readString(passwordFile).strip()).isEqualTo(password);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");

            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "postgres", null).close())
                    .as("no password").isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "postgres", "wrong").close())
                    .as("a wrong password").isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            DriverManager.getConnection(server.jdbcUrl(), "postgres", password).close();
        }

        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data, port, true, 0)) {
            assertThat(again.password()).as("the same password after a restart").isEqualTo(password);
            DriverManager.getConnection(again.jdbcUrl(), "postgres", password).close();
        }

        Files.delete(passwordFile);
        assertThatThrownBy(() -> EmbeddedPostgresServer.start(data, port, true, 0))
                .as("a lost password file is named, not answered with a timeout")
                .hasMessageContaining("pg.password").hasMessageContaining("missing");
    }

    @Test
    void aHelperProcessThatEndedBeforeItsReniceDoesNotLeaveTheServerAtNormalPriority() {
        java.util.List<Long> reniced = new java.util.ArrayList<>();
        EmbeddedPostgresServer.ReniceRunner runner = (pid, nice) -> {
            if (pid == 102) {
                return new EmbeddedPostgresServer.ReniceResult(1, "renice: failed to get priority for 102 (process ID): No such process");
            }
            reniced.add(pid);
            return new EmbeddedPostgresServer.ReniceResult(0, "");
        };

        int count = EmbeddedPostgresServer.renice(java.util.List.of(100L, 101L, 102L, 103L), 10, runner, pid -> pid != 102);

        assertThat(count).isEqualTo(3);
        assertThat(reniced).containsExactly(100L, 101L, 103L);
    }

    @Test
    void aRefusedPostmasterStopsTheAttemptAndAMissingReniceIsNotAnError() {
        EmbeddedPostgresServer.ReniceRunner refused = (pid, nice) -> new EmbeddedPostgresServer.ReniceResult(1, "Permission denied");
        assertThat(EmbeddedPostgresServer.renice(java.util.List.of(100L, 101L), 10, refused, pid -> true)).isZero();

        EmbeddedPostgresServer.ReniceRunner missing = (pid, nice) -> {
            throw new IOException("Cannot run program \"renice\": error=2, No such file or directory");
        };
        assertThat(EmbeddedPostgresServer.renice(java.util.List.of(100L, 101L), 10, missing, pid -> true)).isZero();
    }

    /** Field 19 of /proc/PID/stat, counted after the command name in parentheses. */
    private static int niceOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
