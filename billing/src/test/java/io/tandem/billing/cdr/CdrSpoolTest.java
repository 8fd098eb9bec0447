package io.tandem.billing.cdr;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdrSpoolTest {

    @TempDir
    Path dir;

    @Test
    void recordsSurviveAReopenInTheOrderTheyWereAppended() throws IOException {
        Path file = dir.resolve("settlements.spool");
        try (CdrSpool spool = CdrSpool.open(file)) {
            spool.append(List.of(bytes("one"), bytes("two")));
            spool.append(List.of(bytes("three")));
        }

        try (CdrSpool spool = CdrSpool.open(file)) {
            assertThat(spool.records()).isEqualTo(3);
            assertThat(spool.readAll()).extracting(b -> new String(b, UTF_8)).containsExactly("one", "two", "three");
            spool.append(List.of(bytes("four")));
            assertThat(spool.readAll()).extracting(b -> new String(b, UTF_8)).containsExactly("one", "two", "three", "four");
        }
    }

    @Test
    void aTornLastRecordIsCutOffAndEverythingBeforeItIsKept() throws IOException {
        Path file = dir.resolve("settlements.spool");
        try (CdrSpool spool = CdrSpool.open(file)) {
            spool.append(List.of(bytes("acknowledged-1"), bytes("acknowledged-2"), bytes("being written")));
        }
        long size = Files.size(file);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(size - 4); // the crash happened in the middle of the last payload
        }

        try (CdrSpool spool = CdrSpool.open(file)) {
            assertThat(spool.readAll()).extracting(b -> new String(b, UTF_8))
                    .containsExactly("acknowledged-1", "acknowledged-2");
            spool.append(List.of(bytes("after restart")));
        }
        try (CdrSpool spool = CdrSpool.open(file)) {
            assertThat(spool.readAll()).extracting(b -> new String(b, UTF_8))
                    .containsExactly("acknowledged-1", "acknowledged-2", "after restart");
        }
    }

    @Test
    void aTornHeaderAndAFlippedByteInTheLastRecordAreDetected() throws IOException {
        Path file = dir.resolve("settlements.spool");
        try (CdrSpool spool = CdrSpool.open(file)) {
            spool.append(List.of(bytes("kept"), bytes("garbled")));
        }
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(raw.length() - 1);
            raw.write('X');
            raw.seek(raw.length());
            raw.write(new byte[] {0, 0}); // and half a header after it
        }

        try (CdrSpool spool = CdrSpool.open(file)) {
            assertThat(spool.readAll()).extracting(b -> new String(b, UTF_8)).containsExactly("kept");
        }
    }

    @Test
    void corruptionBeforeTheEndRefusesToOpenRatherThanDropRecords() throws IOException {
        Path file = dir.resolve("settlements.spool");
        try (CdrSpool spool = CdrSpool.open(file)) {
            spool.append(List.of(bytes("first"), bytes("second")));
        }
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(9); // inside the first payload
            raw.write('#');
        }

        assertThatThrownBy(() -> CdrSpool.open(file)).isInstanceOf(IOException.class).hasMessageContaining("corrupt");
    }

    @Test
    void clearEmptiesTheSpoolDurably() throws IOException {
        Path file = dir.resolve("settlements.spool");
        try (CdrSpool spool = CdrSpool.open(file)) {
            spool.append(List.of(bytes("x")));
            spool.clear();
            assertThat(spool.isEmpty()).isTrue();
        }
        assertThat(Files.size(file)).isZero();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
