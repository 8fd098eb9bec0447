package io.tandem.softswitch.registrar;

/**
 * A change of one binding, as sent to the peer nodes (docs/registrations.md). Applying an event twice,
 * or an older one after a newer, changes nothing: {@link Binding#version()} decides.
 *
 * @param binding the binding after the change; for {@link Kind#UNREGISTER} and {@link Kind#EXPIRE} the
 *                binding that went, with the version of its removal
 */
public record ClusterEvent(Kind kind, Binding binding) {

    public enum Kind {
        /** A new binding. */
        REGISTER,
        /** An existing binding with a new expiry (or a new source, Call-ID, CSeq). */
        REFRESH,
        /** Removed by the customer: {@code Expires: 0} or {@code *}. */
        UNREGISTER,
        /** Removed by its node because its time ran out. */
        EXPIRE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean removes() {
            return this == UNREGISTER || this == EXPIRE;
        }
    }
}
