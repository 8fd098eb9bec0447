package io.tandem.routing;

/**
 * Whether a customer trunk has a registered contact now (docs/registrations.md), asked per call for
 * gateways that reach a registered contact ({@link Gateway#registeredTrunkId()}). Answers from memory,
 * from any thread.
 */
@FunctionalInterface
public interface RegisteredContacts {

    /** No registrations known: every registered-contact gateway is skipped. */
    RegisteredContacts NONE = trunkId -> false;

    boolean registered(long trunkId);
}
