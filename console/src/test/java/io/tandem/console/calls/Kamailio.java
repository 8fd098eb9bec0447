package io.tandem.console.calls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Kamailio running the project's own dispatcher config (docs/deploy/kamailio-dispatcher.cfg),
 * changed only where a test must: loopback listen address and port, the dispatcher list, the module path.
 */
final class Kamailio implements AutoCloseable {
    private static final String BINARY = "/usr/sbin/kamailio";
    private static final String MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules/";

    private final Process process;
    private final Path log;

    private Kamailio(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(BINARY)) && Files.isDirectory(Path.of(MODULES)),
                "kamailio is not installed (apt-get install kamailio)");
    }

    /** Starts Kamailio on {@code address:port} in front of one Tandem node; returns once it relays an OPTIONS. */
    static Kamailio start(Path work, String address, int port, String nodeUri) {
        try {
            Path config = Path.of("../docs/deploy/kamailio-dispatcher.cfg");
            Path list = work.resolve("dispatcher.list");
            Files.writeString(list, "1 " + nodeUri + " 0 0\n");
            String cfg = Files.readString(config)
                    .replace("#!KAMAILIO", "#!KAMAILIO\nmpath=\"" + MODULES + "\"")
                    .replace("listen=udp:0.0.0.0:5060", "listen=udp:" + address + ":" + port)
                    .replace("listen=tcp:0.0.0.0:5060\n", "")
                    .replace("children=4", "children=1")
                    .replace("/etc/kamailio/dispatcher.list", list.toString());
            Path file = work.resolve("kamailio.cfg");
            Files.writeString(file, cfg);
            Path runDir = Files.createDirectories(work.resolve("kamailio-run"));
            Path log = work.resolve("kamailio.log");
            Process process = new ProcessBuilder(List.of(BINARY, "-f", file.toString(), "-DD", "-E", "-Y", runDir.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Kamailio kamailio = new Kamailio(process, log);
            kamailio.awaitRelaying(address, port);
            return kamailio;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitRelaying(String address, int port) throws IOException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(300);
            int local = socket.getLocalPort();
            for (int i = 0; System.nanoTime() < deadline; i++) {
                byte[] options = ("OPTIONS sip:ping@" + address + ":" + port + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + local + ";branch=z9hG4bK-kam-ready-" + i + "\r\n"
                        + "From: <sip:probe@127.0.0.1>;tag=probe\r\nTo: <sip:ping@" + address + ">\r\n"
                        + "Call-ID: kamailio-ready-" + i + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(options, options.length, new InetSocketAddress(address, port)));
                try {
                    DatagramPacket answer = new DatagramPacket(new byte[4096], 4096);
                    socket.receive(answer);
                    if (new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII).startsWith("SIP/2.0 200")) {
                        return;
                    }
                } catch (SocketTimeoutException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("kamailio exited: " + output());
                    }
                }
            }
        }
        throw new IllegalStateException("kamailio does not relay OPTIONS to the node: " + output());
    }

    String output() {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
