package io.tandem.console.notices;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real SMTP server for the tests: Debian's {@code python3-aiosmtpd} on 127.0.0.1 and a free port, storing every
 * message it accepts in a Maildir. The messages keep the envelope as {@code X-MailFrom} and {@code X-RcptTo}
 * headers. Stopped when the JVM ends.
 */
public final class TestSmtpServer {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private final Process process;
    private final int port;
    private final Path maildir;

    private TestSmtpServer(Process process, int port, Path maildir) {
        this.process = process;
        this.port = port;
        this.maildir = maildir;
    }

    /** Whether the machine has the server (CI installs it; see .ci/run). */
    public static boolean available() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            return new ProcessBuilder(PYTHON.toString(), "-c", "import aiosmtpd").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts a server and waits until it accepts connections; null when the machine has no aiosmtpd. */
    public static TestSmtpServer startIfAvailable() {
        if (!available()) {
            return null;
        }
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Path maildir = Files.createTempDirectory("tandem-smtp-");
            Process process = new ProcessBuilder(PYTHON.toString(), "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port,
                    "-c", "aiosmtpd.handlers.Mailbox", maildir.resolve("mail").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            Instant deadline = Instant.now().plusSeconds(15);
            while (Instant.now().isBefore(deadline)) {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return new TestSmtpServer(process, port, maildir.resolve("mail"));
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("aiosmtpd exited with " + process.exitValue());
                    }
                    Thread.sleep(50);
                }
            }
            process.destroy();
            throw new IllegalStateException("aiosmtpd did not listen on 127.0.0.1:" + port + " within 15 s");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start aiosmtpd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting aiosmtpd", e);
        }
    }

    public int port() {
        return port;
    }

    /** The messages received so far. */
    public List<MimeMessage> messages() {
        Path received = maildir.resolve("new");
        List<MimeMessage> messages = new ArrayList<>();
        if (!Files.isDirectory(received)) {
            return messages;
        }
        Session session = Session.getInstance(new Properties());
        try (Stream<Path> files = Files.list(received)) {
            for (Path file : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    messages.add(new MimeMessage(session, in));
                }
            }
        } catch (IOException | jakarta.mail.MessagingException e) {
            throw new IllegalStateException("cannot read the Maildir " + maildir, e);
        }
        return messages;
    }

    /** Waits (polling every 50 ms) for a received message that matches. */
    public MimeMessage awaitMessage(Predicate<MimeMessage> matching, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        do {
            for (MimeMessage message : messages()) {
                if (matching.test(message)) {
                    return message;
                }
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("no matching mail within " + timeout + "; received " + messages().size());
    }

    public boolean alive() {
        return process.isAlive();
    }
}
