package io.tandem.console.calls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real sipp (Debian {@code sip-tester}) as a customer or a vendor on 127.0.0.1. Scenarios
 * live in {@code src/test/resources/sipp}; {@code @NAME@} placeholders are filled in per run. Where
 * sipp is not installed the test is skipped with a loud message ({@code .ci/run} installs it).
 */
final class Sipp implements AutoCloseable {

    private final Process process;
    private final Path log;

    private Sipp(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static String binary() {
        for (String candidate : List.of("/usr/bin/sipp", "/usr/local/bin/sipp")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    static void assumeInstalled() {
        if (binary() == null) {
            System.err.println("\n*** sipp is not installed (apt-get install sip-tester): end-to-end call tests SKIPPED ***\n");
        }
        Assumptions.assumeTrue(binary() != null, "sipp (sip-tester) is not installed");
    }

    /**
     * Starts sipp.
     *
     * @param scenario    resource name under /sipp
     * @param values      placeholder values ({@code CODE -> 486}); optional ones ({@code @…_CHECK@},
     *                    {@code @…_EXTRA@}) left out become nothing
     * @param arguments   further sipp arguments (target last)
     */
    static Sipp start(Path workDir, String scenario, Map<String, String> values, String... arguments) {
        try {
            String xml;
            try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + scenario)) {
                xml = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            for (var entry : values.entrySet()) {
                xml = xml.replace("@" + entry.getKey() + "@", entry.getValue());
            }
            xml = xml.replaceAll("@[A-Z_]+_(CHECK|EXTRA)@", "");
            Path file = Files.createTempFile(workDir, scenario.replace(".xml", "-"), ".xml");
            Files.writeString(file, xml, StandardCharsets.ISO_8859_1);
            Path log = Files.createTempFile(workDir, "sipp-", ".log");
            List<String> command = new ArrayList<>(List.of(binary(), "-sf", file.toString(), "-nostdin",
                    "-trace_err", "-error_file", log.toString() + ".errors"));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Sipp(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for sipp to end; its exit code (0 = every call passed the scenario). */
    int await(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** What sipp printed and its error log, for assertion messages. */
    boolean alive() {
        return process.isAlive();
    }

    String output() {
        try {
            String out = Files.readString(log, StandardCharsets.ISO_8859_1);
            Path errors = Path.of(log.toString() + ".errors");
            String err = Files.exists(errors) ? Files.readString(errors, StandardCharsets.ISO_8859_1) : "";
            return tail(out, 3000) + "\n--- errors ---\n" + tail(err, 3000);
        } catch (IOException e) {
            return "(no sipp output: " + e.getMessage() + ")";
        }
    }

    private static String tail(String text, int max) {
        return text.length() <= max ? text : text.substring(text.length() - max);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
