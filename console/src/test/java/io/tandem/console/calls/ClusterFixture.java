package io.tandem.console.calls;

import com.vaadin.browserless.SpringBrowserlessTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One console node ("node-a", SIP off) with three peers: {@code fake} answers with the calls it is
 * given, {@code dead} refuses connections, {@code slow} answers after 10 s. Tests of the cluster API
 * and of the live views extend this class, so they share one Spring context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ClusterFixture extends SpringBrowserlessTest {

    public static final String KEY = "cluster-calls-test-key-0123";
    public static final String PEER_KEY = "key-this-node-presents-to-fake";
    public static final String NODE = "node-a";

    public static final String ANSWERED_CALL = "11111111-1111-4111-8111-111111111111";
    public static final String RINGING_CALL = "22222222-2222-4222-8222-222222222222";
    public static final String UNKNOWN_CUSTOMER_CALL = "33333333-3333-4333-8333-333333333333";
    public static final String CALL_TO_HANG_UP = "44444444-4444-4444-8444-444444444444";

    public static final FakePeer FAKE = FakePeer.start()
            .withCall(ANSWERED_CALL, call(ANSWERED_CALL, 1, "Vendor A", "4930123456", "442079460001", "answered", 65, "0.021667"))
            .withCall(RINGING_CALL, call(RINGING_CALL, 1, "Vendor B", "4930123457", "12125550100", "ringing", 0, "0"))
            .withCall(UNKNOWN_CUSTOMER_CALL, call(UNKNOWN_CUSTOMER_CALL, 999, null, "4930123458", "33140000000", "trying", 0, "0"))
            .withCall(CALL_TO_HANG_UP, call(CALL_TO_HANG_UP, 1, "Vendor A", "4930123459", "442079460009", "answered", 5, "0.001667"));
    public static final FakePeer SLOW = FakePeer.start().slow(Duration.ofSeconds(10));
    public static final int DEAD_PORT = closedPort();
    /** The SMTP server rate-change notices are mailed to; null on a machine without python3-aiosmtpd. */
    public static final io.tandem.console.notices.TestSmtpServer SMTP = io.tandem.console.notices.TestSmtpServer.startIfAvailable();

    /**
     * Not a {@code @TempDir}: JUnit deletes those after each test class, while the shared context
     * (and its embedded database in here) lives on for the next class.
     */
    static final Path DATA_DIR = temporaryDirectory();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tandem.data-dir", DATA_DIR::toString);
        registry.add("tandem.node-id", () -> NODE);
        registry.add("tandem.sip.enabled", () -> "false");
        registry.add("tandem.api.bootstrap-key", () -> KEY);
        registry.add("tandem.admin.initial-password", () -> "admin-password-0123");
        registry.add("vaadin.devmode.devTools.enabled", () -> "false");
        registry.add("tandem.cluster.peers[0].name", () -> "fake");
        registry.add("tandem.cluster.peers[0].url", FAKE::url);
        registry.add("tandem.cluster.peers[0].api-key", () -> PEER_KEY);
        registry.add("tandem.cluster.peers[1].name", () -> "dead");
        registry.add("tandem.cluster.peers[1].url", () -> "http://127.0.0.1:" + DEAD_PORT);
        registry.add("tandem.cluster.peers[1].api-key", () -> "unused");
        registry.add("tandem.cluster.peers[2].name", () -> "slow");
        registry.add("tandem.cluster.peers[2].url", SLOW::url);
        registry.add("tandem.cluster.peers[2].api-key", () -> "unused");
        if (SMTP != null) {
            registry.add("tandem.mail.host", () -> "127.0.0.1");
            registry.add("tandem.mail.port", SMTP::port);
            registry.add("tandem.mail.from", () -> "rates@carrier.example");
        }
    }

    /** Signs a console user in for the browserless views (what the login form would do). */
    protected static void signedInAs(String user, String... roles) {
        List<SimpleGrantedAuthority> authorities = java.util.Arrays.stream(roles).map(role -> new SimpleGrantedAuthority("ROLE_" + role)).toList();
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(user, null, authorities));
    }

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    private static String call(String id, long customer, String vendor, String caller, String callee, String state, long seconds,
                               String cost) {
        Instant started = Instant.now().minusSeconds(seconds + 3);
        return """
                {"id":"%s","nodeId":"fake-node","customerAccountId":%d,"trunk":"demo-trunk","vendorAccountId":%s,"vendor":%s,
                 "caller":"%s","callee":"%s","state":"%s","startedAt":"%s","answeredAt":%s,"durationSeconds":%d,
                 "currentCost":%s,"currency":"USD"}""".formatted(id, customer, vendor == null ? "null" : "2",
                vendor == null ? "null" : "\"" + vendor + "\"", caller, callee, state, started,
                seconds > 0 ? "\"" + started.plusSeconds(3) + "\"" : "null", seconds, cost);
    }

    private static Path temporaryDirectory() {
        try {
            Path directory = java.nio.file.Files.createTempDirectory("tandem-cluster-fixture-");
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A loopback port nothing listens on (taken and released at once). */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
