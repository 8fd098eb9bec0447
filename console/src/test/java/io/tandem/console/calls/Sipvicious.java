package io.tandem.console.calls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's {@code sipvicious} scanner tools ({@code svmap}, {@code svwar}, {@code svcrack}) the
 * way an attacker would, from their own loopback address. Skipped with a loud message where the
 * package is missing ({@code .ci/run} installs it).
 */
final class Sipvicious implements AutoCloseable {

    private final Process process;
    private final Path log;

    private Sipvicious(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Debian's interpreter, which sees the package (a python3 earlier on the PATH may not). */
    private static final String PYTHON = "/usr/bin/python3";

    static void assumeInstalled() {
        boolean installed = Files.isExecutable(Path.of(PYTHON))
                && List.of("svmap", "svwar", "svcrack").stream().allMatch(tool -> Files.exists(Path.of("/usr/share/sipvicious/sipvicious", tool + ".py")));
        if (!installed) {
            System.err.println("\n*** sipvicious is not installed (apt-get install sipvicious): the SIP attack test is SKIPPED ***\n");
        }
        Assumptions.assumeTrue(installed, "sipvicious is not installed");
    }

    /**
     * Starts a tool ({@code svmap}, {@code svwar}, {@code svcrack}) with its socket bound to {@code source},
     * through {@code /sipvicious/bound.py} (svwar and svcrack 0.3.3 ignore their own {@code -b}); its output
     * goes to a file in {@code workDir}.
     */
    static Sipvicious start(Path workDir, String source, String tool, String... arguments) {
        try {
            Path wrapper = workDir.resolve("sipvicious-bound.py");
            if (!Files.exists(wrapper)) {
                try (var in = Sipvicious.class.getResourceAsStream("/sipvicious/bound.py")) {
                    Files.write(wrapper, in.readAllBytes());
                }
            }
            Path log = Files.createTempFile(workDir, tool + "-", ".log");
            List<String> command = new ArrayList<>(List.of(PYTHON, wrapper.toString(), source, tool));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            return new Sipvicious(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the tool to end (killed after {@code seconds}); what it printed. */
    String await(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for a scanner", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
