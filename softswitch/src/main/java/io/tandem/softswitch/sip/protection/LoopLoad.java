package io.tandem.softswitch.sip.protection;

/**
 * How busy the node's event loops are: what {@link OverloadShedder} reads. The transport measures
 * it on the real loops ({@code EventLoopLagProbe}); tests give fixed values.
 */
public interface LoopLoad {

    /** The longest any event loop is now behind: how late a task scheduled on it runs, in nanoseconds. */
    long worstLagNanos();

    /** The most tasks waiting on any one event loop. */
    int worstPendingTasks();

    /**
     * How long the most backlogged UDP socket has been read in full batches without a break (its kernel queue never
     * emptied), in nanoseconds; 0 when every socket was drained at its last read.
     */
    default long worstBacklogNanos() {
        return 0;
    }

    /**
     * How many datagrams the kernel has dropped so far at the node's UDP sockets because their receive queue was full;
     * negative when not known (not Linux, or no UDP socket).
     */
    default long kernelDroppedDatagrams() {
        return -1;
    }

    /** How many event loops {@link #loopCpuNanos(int)} reports on; 0 when their CPU time is not measured. */
    default int loopCount() {
        return 0;
    }

    /**
     * The CPU time event loop {@code loop}'s thread has used so far, in nanoseconds; negative when not known
     * (the loop has not started yet, or the JVM cannot measure thread CPU time).
     */
    default long loopCpuNanos(int loop) {
        return -1;
    }
}
