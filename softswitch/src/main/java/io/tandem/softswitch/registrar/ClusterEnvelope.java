package io.tandem.softswitch.registrar;

/**
 * One cluster event as a node sends it: who sent it, its place in the sender's sequence and when, so a
 * receiver can refuse a replay ({@link ReplayWindow}).
 *
 * @param node         the sending node's id
 * @param seq          the sender's message counter: strictly rising within a run and across restarts
 *                     (it starts from the start time)
 * @param sentAtMicros the sender's wall clock, UTC epoch microseconds
 */
public record ClusterEnvelope(String node, long seq, long sentAtMicros, ClusterEvent event) {

    /** The JSON format's version; a receiver refuses others (docs/registrations.md). */
    public static final int VERSION = 1;
}
