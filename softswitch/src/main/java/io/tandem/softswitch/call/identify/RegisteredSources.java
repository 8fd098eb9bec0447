package io.tandem.softswitch.call.identify;

import java.net.InetAddress;
import java.util.OptionalLong;

/**
 * The trunk whose registered contact sends from an address (the registrar's bindings, cluster-wide).
 * Asked per INVITE on any event loop: answers from memory, never blocks.
 */
@FunctionalInterface
public interface RegisteredSources {

    RegisteredSources NONE = source -> OptionalLong.empty();

    OptionalLong trunkOf(InetAddress source);
}
