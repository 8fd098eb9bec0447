package io.tandem.billing.reconciliation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Sorts a vendor's calls by connect time in bounded memory (an external merge sort): runs of
 * {@code runSize} calls are sorted in memory and written to temporary files, then read back merged, one call
 * per run in memory. A file that fits in one run never touches the disk. Vendors' exports are often sorted by
 * something else (trunk, then time), which the matcher's single pass needs undone first.
 */
public final class CallLegSorter implements Iterator<CallLeg>, Closeable {

    public static final int DEFAULT_RUN_SIZE = 500_000;
    private static final Comparator<CallLeg> ORDER = Comparator.comparing(CallLeg::connectedAt);

    private final List<Path> runFiles = new ArrayList<>();
    private final List<RunReader> runs = new ArrayList<>();
    private final PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing((Head h) -> h.leg.connectedAt())
            .thenComparingInt(h -> h.run));
    private Iterator<CallLeg> inMemory;

    public CallLegSorter(Iterator<CallLeg> input, Path tempDirectory, int runSize) {
        try {
            List<CallLeg> run = new ArrayList<>(Math.min(runSize, 1 << 16));
            while (input.hasNext()) {
                run.add(input.next());
                if (run.size() == runSize) {
                    spill(run, tempDirectory);
                    run.clear();
                }
            }
            if (runFiles.isEmpty()) {
                run.sort(ORDER);
                inMemory = run.iterator();
                return;
            }
            if (!run.isEmpty()) {
                spill(run, tempDirectory);
            }
            for (int i = 0; i < runFiles.size(); i++) {
                RunReader reader = new RunReader(runFiles.get(i));
                runs.add(reader);
                CallLeg first = reader.read();
                if (first != null) {
                    heads.add(new Head(first, i));
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("Cannot sort the vendor file through " + tempDirectory, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** How many runs went to disk (0 = sorted in memory). */
    public int spilledRuns() {
        return runFiles.size();
    }

    private void spill(List<CallLeg> run, Path directory) throws IOException {
        run.sort(ORDER);
        Path file = Files.createTempFile(directory, "vendor-cdr-run-", ".bin");
        runFiles.add(file);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (CallLeg leg : run) {
                out.writeLong(leg.connectedAt().getEpochSecond());
                out.writeInt(leg.connectedAt().getNano());
                out.writeUTF(leg.caller());
                out.writeUTF(leg.called());
                out.writeLong(leg.seconds());
                out.writeUTF(leg.amount() == null ? "" : leg.amount().toPlainString());
                out.writeUTF(leg.reference());
            }
        }
    }

    @Override
    public boolean hasNext() {
        return inMemory != null ? inMemory.hasNext() : !heads.isEmpty();
    }

    @Override
    public CallLeg next() {
        if (inMemory != null) {
            return inMemory.next();
        }
        Head head = heads.poll();
        if (head == null) {
            throw new NoSuchElementException();
        }
        try {
            CallLeg following = runs.get(head.run).read();
            if (following != null) {
                heads.add(new Head(following, head.run));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read back a sorted run", e);
        }
        return head.leg;
    }

    /** Deletes the temporary files. */
    @Override
    public void close() {
        for (RunReader run : runs) {
            run.close();
        }
        for (Path file : runFiles) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete " + file, e);
            }
        }
    }

    private record Head(CallLeg leg, int run) {
    }

    private static final class RunReader {
        private final DataInputStream in;

        RunReader(Path file) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        }

        CallLeg read() throws IOException {
            long epochSecond;
            try {
                epochSecond = in.readLong();
            } catch (EOFException end) {
                return null;
            }
            Instant at = Instant.ofEpochSecond(epochSecond, in.readInt());
            String caller = in.readUTF();
            String called = in.readUTF();
            long seconds = in.readLong();
            String amount = in.readUTF();
            String reference = in.readUTF();
            return new CallLeg(at, caller, called, seconds, amount.isEmpty() ? null : new BigDecimal(amount), reference);
        }

        void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
